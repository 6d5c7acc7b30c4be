-- SMS through Gammu SMSD (issue 11 §3). Gammu tells what became of a message in its own tables
-- (sentitems), so lapor asks, every second, about the SMS it handed to Gammu whose fate is not
-- known yet (src/features/channels/gammu.ts). This index holds only those rows: a scan of the
-- whole outbox, every notification ever sent, once a second would not do.
CREATE INDEX outbox_gammu_awaiting_idx ON outbox (sent_at, id)
  WHERE channel = 'sms' AND status = 'sent' AND external_id LIKE 'gammu:%'
    AND (delivery_status IS NULL OR delivery_status IN ('accepted', 'buffered'));
