-- A province's or a body's own days off move the deadlines of the reports it handles, so its
-- admin's change to its layer is only a request until a national admin approves it. The request
-- keeps what was asked (`payload`: the day, the day before and after, or the whole year of an
-- import), who asked and why, and once decided who decided, when and why.
CREATE TABLE calendar_change_requests (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  action          text NOT NULL CHECK (action IN ('add', 'change', 'remove', 'import')),
  scope           text NOT NULL CHECK (scope IN ('province', 'body')),
  province_code   text REFERENCES regions (code),
  body_id         bigint REFERENCES bodies (id),
  scope_key       text GENERATED ALWAYS AS (
                    CASE scope WHEN 'province' THEN 'province:' || province_code ELSE 'body:' || body_id::text END
                  ) STORED,
  -- change and remove: the calendar_days row asked about; add: the row made on approval. No
  -- foreign key: the day may be removed meanwhile, and the request stays as a record.
  day_id          bigint,
  year            integer CHECK (year BETWEEN 1900 AND 2200),
  payload         jsonb NOT NULL,
  reason          text CHECK (length(reason) <= 1000),
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
  requested_by    bigint NOT NULL REFERENCES users (id),
  requested_at    timestamptz NOT NULL,
  decided_by      bigint REFERENCES users (id),
  decided_at      timestamptz,
  decision_reason text CHECK (length(decision_reason) <= 1000),
  deadlines_moved integer,
  CHECK (
    (scope = 'province' AND province_code IS NOT NULL AND body_id IS NULL) OR
    (scope = 'body' AND body_id IS NOT NULL AND province_code IS NULL)
  ),
  CHECK (action NOT IN ('change', 'remove') OR day_id IS NOT NULL),
  CHECK ((action = 'import') = (year IS NOT NULL)),
  CHECK ((status = 'pending') = (decided_by IS NULL AND decided_at IS NULL)),
  CHECK (status <> 'rejected' OR decision_reason IS NOT NULL)
);
CREATE INDEX calendar_change_requests_pending_idx ON calendar_change_requests (requested_at) WHERE status = 'pending';
CREATE INDEX calendar_change_requests_scope_idx ON calendar_change_requests (scope_key, id);
