-- X, WhatsApp and Telegram (issue 11 §5). Their messages go out on the outbox's 'chat' channel,
-- with the platform and the chat in the payload; the message id the platform gave back is the
-- row's external_id.

-- WhatsApp reports each message it was given as sent, then delivered, then read (or failed);
-- the outbox records them as the SMS delivery reports are recorded.
ALTER TABLE outbox DROP CONSTRAINT outbox_delivery_status_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_delivery_status_check
  CHECK (delivery_status IN ('accepted', 'buffered', 'sent', 'delivered', 'read', 'failed', 'rejected'));

-- A status webhook names the message by the platform's id (wamid.…): found by it.
CREATE INDEX outbox_chat_external_idx ON outbox (external_id) WHERE channel = 'chat' AND external_id IS NOT NULL;
