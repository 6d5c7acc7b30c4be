-- SLA clocks: one row per clock per report and cycle (a reopened report starts a new cycle).
CREATE TABLE report_clocks (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  report_id       bigint NOT NULL REFERENCES reports (id),
  kind            text NOT NULL CHECK (kind IN (
                    'verification', 'first_follow_up', 'resolution', 'reply_window', 'completion', 'ombudsman')),
  cycle           integer NOT NULL DEFAULT 1,
  state           text NOT NULL CHECK (state IN ('running', 'paused', 'stopped', 'expired')),
  limit_days      integer NOT NULL CHECK (limit_days >= 0),
  limit_unit      text NOT NULL CHECK (limit_unit IN ('working', 'calendar')),
  -- whose calendar counts: the body holding the report when the clock started (null: national)
  calendar_body_id bigint REFERENCES bodies (id),
  time_zone       text NOT NULL,
  started_at      timestamptz NOT NULL,
  -- the due time is always count_days counted from counted_from: the start, or the last resume.
  -- A calendar change recomputes it from these two.
  counted_from    timestamptz NOT NULL,
  count_days      integer NOT NULL,
  due_at          timestamptz,               -- null while paused
  paused_at       timestamptz,
  remaining_days  integer,                   -- days left when paused, to resume where it stopped
  reminder_at     timestamptz,               -- when to remind; null once sent or when there is none
  reminded_at     timestamptz,
  breached_at     timestamptz,
  stopped_at      timestamptz,
  -- the next instant the sweep must look at this clock: the reminder or the due time, whichever
  -- comes first and has not fired. Null when nothing is left to fire (the sweep never reads it).
  next_fire_at    timestamptz,
  -- also the index for "the clocks of a report" (report_id leads): no second index to maintain
  UNIQUE (report_id, kind, cycle)
);
CREATE INDEX report_clocks_next_fire_idx ON report_clocks (next_fire_at) WHERE next_fire_at IS NOT NULL;
CREATE INDEX report_clocks_calendar_idx ON report_clocks (calendar_body_id) WHERE state IN ('running', 'paused');

-- The breach ledger: one row per missed target, never two; kept for evaluation.
CREATE TABLE sla_breaches (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  report_id   bigint NOT NULL REFERENCES reports (id),
  clock_id    bigint NOT NULL UNIQUE REFERENCES report_clocks (id),
  kind        text NOT NULL,
  body_id     bigint REFERENCES bodies (id),  -- counts against this body (null: the national desk)
  unit_id     bigint REFERENCES bodies (id),
  due_at      timestamptz NOT NULL,
  breached_at timestamptz NOT NULL
);
CREATE INDEX sla_breaches_body_idx ON sla_breaches (body_id, breached_at);

-- The outbox: every outbound message, written in the same transaction as the change that caused it.
CREATE TABLE outbox (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  channel           text NOT NULL CHECK (channel IN ('in_app', 'email', 'sms', 'chat', 'webhook')),
  recipient_user_id bigint REFERENCES users (id),
  recipient_address text,
  template          text NOT NULL,              -- e.g. 'deadline.reminder', 'deadline.missed'
  payload           jsonb NOT NULL,
  idempotency_key   text NOT NULL UNIQUE,
  status            text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
  attempts          integer NOT NULL DEFAULT 0,
  available_at      timestamptz NOT NULL DEFAULT now(),
  locked_until      timestamptz,
  last_error        text,
  external_id       text,
  sent_at           timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_pending_idx ON outbox (available_at) WHERE status IN ('pending', 'sending');

-- In-app notifications, delivered from the outbox.
CREATE TABLE notifications (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id     bigint NOT NULL REFERENCES users (id),
  outbox_id   bigint UNIQUE REFERENCES outbox (id),
  template    text NOT NULL,
  title       text NOT NULL,
  body        text NOT NULL,
  tracking_id text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  read_at     timestamptz
);
CREATE INDEX notifications_user_idx ON notifications (user_id, id DESC);
CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL;

-- The Ombudsman's handling of an escalated report.
ALTER TABLE reports
  ADD COLUMN ombudsman_taken_at timestamptz,
  ADD COLUMN ombudsman_officer_id bigint REFERENCES users (id),
  ADD COLUMN ombudsman_findings text,
  ADD COLUMN ombudsman_recommendation text,
  ADD COLUMN ombudsman_closed_at timestamptz;
CREATE INDEX reports_escalated_idx ON reports (ombudsman_body_id, escalated_at) WHERE escalated_at IS NOT NULL;
