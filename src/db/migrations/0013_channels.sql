-- Every channel into one intake (issue 11). A message that arrives is stored here, committed,
-- before anything else happens to it; the same message delivered twice (a gateway's retry, a
-- webhook sent again) is one row, by its channel and the channel's own message id.
CREATE TABLE inbound_messages (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  channel      text NOT NULL CHECK (channel IN ('sms', 'x', 'whatsapp', 'telegram', 'email', 'integration', 'open311')),
  -- which gateway or account brought it: 'kannel', 'gammu', a bot name…
  gateway      text NOT NULL,
  message_id   text NOT NULL,
  sender       text,                 -- the channel's handle: +62… for SMS
  receiver     text,                 -- the short code or account it was sent to
  text         text,
  -- everything the gateway sent, as it sent it (parameters, headers that matter, body)
  raw          jsonb NOT NULL,
  received_at  timestamptz NOT NULL,
  -- pending: stored, not handled yet (replayed at start and by the worker);
  -- processed: became a report, a reply or a command answered;
  -- unparsed: could not be understood, kept with the reason for an admin to handle by hand;
  -- partial: one part of a long SMS, waiting for the others
  status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'processed', 'unparsed', 'partial')),
  reason       text,
  outcome      text CHECK (outcome IN ('report', 'reply', 'status', 'help', 'rejected', 'combined')),
  report_id    bigint REFERENCES reports (id),
  user_id      bigint REFERENCES users (id),
  attempts     integer NOT NULL DEFAULT 0,
  processed_at timestamptz,
  handled_by   bigint REFERENCES users (id),   -- the admin who turned an unparsed message into a report
  UNIQUE (channel, gateway, message_id)
);
CREATE INDEX inbound_messages_pending_idx ON inbound_messages (received_at) WHERE status = 'pending';
CREATE INDEX inbound_messages_unparsed_idx ON inbound_messages (received_at DESC) WHERE status = 'unparsed';
CREATE INDEX inbound_messages_sender_idx ON inbound_messages (channel, sender, received_at DESC);

-- A sender known by phone number or handle is a reporter without a password. The identity says
-- which account it is; a reporter sees and can unlink theirs.
CREATE TABLE channel_identities (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id     bigint NOT NULL REFERENCES users (id),
  channel     text NOT NULL CHECK (channel IN ('sms', 'x', 'whatsapp', 'telegram', 'email')),
  handle      text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (channel, handle)
);
CREATE INDEX channel_identities_user_idx ON channel_identities (user_id);

-- A channel-born reporter may have no contact in users itself (its number is in
-- channel_identities when a registered account claims the same number unverified). Such an
-- account has no password, so nobody signs in to it with one.
ALTER TABLE users DROP CONSTRAINT users_check;
ALTER TABLE users ADD CONSTRAINT users_contact_check CHECK (email IS NOT NULL OR phone IS NOT NULL OR password_hash IS NULL);
-- A number is verified when its owner proved it (an SMS came from it, or a code sent to it was used).
ALTER TABLE users ADD COLUMN phone_verified_at timestamptz;

-- A sign-in code proves the address it went to: signing in with one sent by SMS verifies the
-- account's phone and makes the account the reporter its SMS came from (channel_identities);
-- one sent by email does the same for mail from that address.
ALTER TABLE sign_in_codes ADD COLUMN sent_to_phone text;
ALTER TABLE sign_in_codes ADD COLUMN sent_to_email text;
-- What was done to an account now includes its phone being verified and channel identities
-- joined to it or unlinked from it.
ALTER TABLE account_events DROP CONSTRAINT account_events_action_check;
ALTER TABLE account_events ADD CONSTRAINT account_events_action_check CHECK (action IN (
  'disabled', 'enabled', 'password_changed', 'password_reset', 'signed_out_everywhere', 'profile_changed',
  'created', 'role_changed', 'phone_verified', 'channel_linked', 'channel_unlinked'));

-- SMS commands, configured as data: a keyword, what it does and, for a regional keyword, the
-- region and body a report made with it goes to.
CREATE TABLE sms_keywords (
  keyword     text PRIMARY KEY CHECK (keyword = upper(keyword) AND keyword ~ '^[A-Z0-9]{2,20}$'),
  command     text NOT NULL CHECK (command IN ('report', 'status', 'reply', 'accept', 'rate', 'help')),
  region_code text REFERENCES regions (code),
  body_code   text,
  note        text,
  active      boolean NOT NULL DEFAULT true
);
INSERT INTO sms_keywords (keyword, command, region_code, body_code, note) VALUES
  ('LAPOR', 'report', NULL, NULL, 'Laporan nasional / a national report'),
  ('CEK', 'status', NULL, NULL, 'Status laporan / a report''s status'),
  ('BALAS', 'reply', NULL, NULL, 'Balasan pada laporan / a reply on a report'),
  ('TERIMA', 'accept', NULL, NULL, 'Menerima jawaban / accept an answer'),
  ('NILAI', 'rate', NULL, NULL, 'Menilai penyelesaian 1-5 / rate the outcome 1-5'),
  ('INFO', 'help', NULL, NULL, 'Bantuan / help'),
  ('BANTUAN', 'help', NULL, NULL, 'Bantuan / help'),
  ('HELP', 'help', NULL, NULL, 'Bantuan / help');
-- Regional keywords need their region; the reference seed adds LAPORYAI (Kota Metro) once the
-- regions are loaded (see src/db/seed/reference.ts).

-- What the gateway said about each SMS sent: Kannel's delivery reports (1 delivered, 2 failed,
-- 4 buffered, 8 accepted by the SMSC, 16 rejected by the SMSC), newest last.
ALTER TABLE outbox ADD COLUMN segments smallint;
-- The Message-ID an email went out with: a citizen's reply names it (In-Reply-To, References),
-- and so finds its report.
ALTER TABLE outbox ADD COLUMN message_id text;
CREATE INDEX outbox_message_id_idx ON outbox (message_id) WHERE message_id IS NOT NULL;
ALTER TABLE outbox ADD COLUMN delivery_status text CHECK (delivery_status IN ('accepted', 'buffered', 'delivered', 'failed', 'rejected'));
ALTER TABLE outbox ADD COLUMN delivered_at timestamptz;
CREATE TABLE delivery_reports (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  outbox_id   bigint NOT NULL REFERENCES outbox (id),
  status      text NOT NULL,
  code        integer,
  raw         jsonb NOT NULL,
  received_at timestamptz NOT NULL
);
CREATE INDEX delivery_reports_outbox_idx ON delivery_reports (outbox_id);
