-- Open311 GeoReport v2 (issue 11 §6): a citizen an app posts for is known by what the app says
-- of them (its own account id, an email, a phone, a device), scoped to the app's key:
-- channel_identities ('open311', '<key name>/email:budi@example.com'). The list below is every
-- channel the intake knows (inbound_messages.channel), so a channel added by another migration
-- before this one is kept.
ALTER TABLE channel_identities DROP CONSTRAINT channel_identities_channel_check;
ALTER TABLE channel_identities ADD CONSTRAINT channel_identities_channel_check
  CHECK (channel IN ('sms', 'x', 'whatsapp', 'telegram', 'email', 'integration', 'open311'));
