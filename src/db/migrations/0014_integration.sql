-- Local government apps (issue 11 §4): an integrator account (role integrator, one body) is an
-- app such as Gencil (Pontianak) or METRO KITA (Metro). It pushes reports and replies for its
-- citizens under its own ids, and hears of every change the reporter may see through a signed
-- webhook, or by pulling the changes since a cursor.

-- An app's API keys. Only sha256 of the key is kept; the prefix (lpr_live_ and a few characters)
-- tells keys apart on the admin's page. A key works until revoked_at, which a rotation may set a
-- little in the future (a grace period while the app switches to the new key).
CREATE TABLE integration_keys (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  integrator_id bigint NOT NULL REFERENCES users (id),
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  prefix        text NOT NULL,
  key_hash      bytea NOT NULL UNIQUE,
  created_at    timestamptz NOT NULL,
  created_by    bigint REFERENCES users (id),
  last_used_at  timestamptz,
  revoked_at    timestamptz,
  revoked_by    bigint REFERENCES users (id),
  -- the key a rotation made in its place
  replaced_by   bigint REFERENCES integration_keys (id)
);
CREATE INDEX integration_keys_integrator_idx ON integration_keys (integrator_id, id);

-- Where an app hears of its reports. The secret signs each delivery (HMAC-SHA256), so it is kept
-- as it is: a hash could not sign. It is shown once, when made.
CREATE TABLE integration_webhooks (
  integrator_id bigint PRIMARY KEY REFERENCES users (id),
  url           text NOT NULL CHECK (url ~ '^https?://'),
  secret        text NOT NULL,
  active        boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL,
  updated_by    bigint REFERENCES users (id)
);

-- The reports an app pushed, under the app's own id. The push itself is in inbound_messages
-- (channel 'integration', gateway the integrator's id, message_id the external id).
CREATE TABLE integration_reports (
  report_id     bigint PRIMARY KEY REFERENCES reports (id),
  integrator_id bigint NOT NULL REFERENCES users (id),
  external_id   text NOT NULL,
  inbound_id    bigint REFERENCES inbound_messages (id),
  created_at    timestamptz NOT NULL,
  UNIQUE (integrator_id, external_id)
);

-- Every timeline event of an app's reports that the reporter may see, in the order apps pull
-- them. `xid` is the transaction that wrote the event: a pull returns only changes of
-- transactions older than every one still running, ordered by (xid, id), so a change committed
-- late by a slow transaction is never passed over by the cursor (an event id alone could be).
CREATE TABLE integration_changes (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  integrator_id bigint NOT NULL REFERENCES users (id),
  event_id      bigint NOT NULL REFERENCES report_events (id),
  report_id     bigint NOT NULL REFERENCES reports (id),
  xid           bigint NOT NULL,
  UNIQUE (integrator_id, event_id)
);
CREATE INDEX integration_changes_feed_idx ON integration_changes (integrator_id, xid, id);

-- Each attempt to deliver a webhook: when, the HTTP status, how long it took, what went wrong.
CREATE TABLE webhook_deliveries (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  outbox_id     bigint NOT NULL REFERENCES outbox (id),
  integrator_id bigint NOT NULL REFERENCES users (id),
  event_id      bigint REFERENCES report_events (id),
  attempt       integer NOT NULL,
  url           text NOT NULL,
  at            timestamptz NOT NULL,
  http_status   integer,
  latency_ms    integer,
  error         text
);
CREATE INDEX webhook_deliveries_integrator_idx ON webhook_deliveries (integrator_id, id DESC);

-- A citizen of an app is a reporter known by the app's own user id: channel 'integration',
-- handle '<body id>:<app user id>'. The name and contacts the app gave are kept with the identity
-- (the app vouches for them, nobody proved them), not on the account.
ALTER TABLE channel_identities DROP CONSTRAINT channel_identities_channel_check;
ALTER TABLE channel_identities ADD CONSTRAINT channel_identities_channel_check
  CHECK (channel IN ('sms', 'x', 'whatsapp', 'telegram', 'email', 'integration'));
ALTER TABLE channel_identities ADD COLUMN details jsonb;

-- An event of an app's report becomes a change to pull and, when the app has a webhook, one
-- outbox row (channel 'webhook', one per event and app), in the transaction that writes the
-- event: every path that writes the timeline (actions, the sweep's batch statements, calendar
-- changes, the Ombudsman) gets it without being changed. Also called by the push itself for the
-- events written before the report was known as the app's (its 'submitted').
CREATE FUNCTION integration_note_event(p_event_id bigint, p_report_id bigint, p_at timestamptz) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM integration_reports WHERE report_id = p_report_id) THEN
    RETURN;
  END IF;
  INSERT INTO integration_changes (integrator_id, event_id, report_id, xid)
  SELECT ir.integrator_id, p_event_id, p_report_id, pg_current_xact_id()::text::bigint
    FROM integration_reports ir WHERE ir.report_id = p_report_id
  ON CONFLICT (integrator_id, event_id) DO NOTHING;
  INSERT INTO outbox (channel, recipient_user_id, recipient_address, template, payload, idempotency_key, available_at, created_at)
  SELECT 'webhook', w.integrator_id, w.url, 'integration.event',
         jsonb_build_object('eventId', p_event_id, 'reportId', p_report_id),
         'webhook:' || p_event_id || ':' || w.integrator_id, p_at, p_at
    FROM integration_reports ir JOIN integration_webhooks w ON w.integrator_id = ir.integrator_id AND w.active
   WHERE ir.report_id = p_report_id
  ON CONFLICT (idempotency_key) DO NOTHING;
END $$;

CREATE FUNCTION report_events_integration() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM integration_note_event(NEW.id, NEW.report_id, NEW.at);
  RETURN NULL;
END $$;

CREATE TRIGGER report_events_integration AFTER INSERT ON report_events
  FOR EACH ROW WHEN (NEW.visibility IN ('public', 'reporter')) EXECUTE FUNCTION report_events_integration();
