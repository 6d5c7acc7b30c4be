-- Reference data --------------------------------------------------------------

CREATE TABLE regions (
  code        text PRIMARY KEY,             -- Kemendagri code with dots: 61, 61.71, 61.71.01, 61.71.01.1001
  parent_code text REFERENCES regions (code),
  level       smallint NOT NULL CHECK (level BETWEEN 1 AND 4), -- 1 province, 2 regency/city, 3 district, 4 village
  name        text NOT NULL
);
CREATE INDEX regions_parent_idx ON regions (parent_code);

CREATE TABLE bodies (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code        text NOT NULL UNIQUE,
  name        text NOT NULL,
  kind        text NOT NULL CHECK (kind IN (
                'ministry', 'agency', 'national_oversight', 'ombudsman', 'province', 'regency', 'city',
                'state_company', 'university', 'mission', 'unit')),
  parent_id   bigint REFERENCES bodies (id),
  -- ids from the top-level body down to this one, for "this unit and everything below it"
  path        bigint[] NOT NULL,
  region_code text REFERENCES regions (code),
  time_zone   text NOT NULL CHECK (time_zone IN ('Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura')),
  active      boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'unit') = (parent_id IS NOT NULL) OR kind = 'ombudsman')
);
CREATE INDEX bodies_parent_idx ON bodies (parent_id);
CREATE INDEX bodies_path_idx ON bodies USING gin (path);
CREATE INDEX bodies_region_idx ON bodies (region_code);

CREATE TABLE categories (
  id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code      text NOT NULL UNIQUE,
  parent_id bigint REFERENCES categories (id),
  -- a body may extend the tree with categories of its own
  body_id   bigint REFERENCES bodies (id),
  name_id   text NOT NULL,
  name_en   text NOT NULL
);
CREATE INDEX categories_parent_idx ON categories (parent_id);

-- Accounts ---------------------------------------------------------------------

CREATE TABLE users (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  role          text NOT NULL CHECK (role IN (
                  'reporter', 'national_admin', 'agency_admin', 'unit_officer', 'ombudsman', 'monitor', 'integrator')),
  name          text NOT NULL,
  email         text,
  phone         text,
  password_hash text,
  -- the body a staff account works for: a K/L/D for agency_admin, a unit for unit_officer,
  -- an Ombudsman office for ombudsman; null for reporters, national admins and monitors
  body_id       bigint REFERENCES bodies (id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  disabled_at   timestamptz,
  CHECK (email IS NOT NULL OR phone IS NOT NULL),
  CHECK ((role IN ('agency_admin', 'unit_officer', 'ombudsman', 'integrator')) = (body_id IS NOT NULL))
);
CREATE UNIQUE INDEX users_email_idx ON users (lower(email)) WHERE email IS NOT NULL;
CREATE UNIQUE INDEX users_phone_idx ON users (phone) WHERE phone IS NOT NULL;
CREATE INDEX users_body_idx ON users (body_id);

CREATE TABLE sessions (
  token_hash   bytea PRIMARY KEY,             -- sha256 of the token; the token itself is never stored
  user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  kind         text NOT NULL CHECK (kind IN ('cookie', 'bearer')),
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE login_throttle (
  key          text PRIMARY KEY,              -- 'login:<login>' or 'ip:<address>'
  window_start timestamptz NOT NULL,
  failures     integer NOT NULL
);

-- Reports ----------------------------------------------------------------------

CREATE TABLE reports (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tracking_id       text NOT NULL UNIQUE,
  classification    text NOT NULL CHECK (classification IN ('pengaduan', 'aspirasi', 'permintaan_informasi')),
  title             text NOT NULL,
  body              text NOT NULL,
  incident_date     date NOT NULL,
  region_code       text REFERENCES regions (code),
  latitude          double precision CHECK (latitude BETWEEN -90 AND 90),
  longitude         double precision CHECK (longitude BETWEEN -180 AND 180),
  category_id       bigint REFERENCES categories (id),
  suggested_body_id bigint REFERENCES bodies (id),
  is_anonymous      boolean NOT NULL DEFAULT false,
  is_secret         boolean NOT NULL DEFAULT false,
  status            text NOT NULL CHECK (status IN (
                      'submitted', 'on_hold', 'dispositioned', 'in_progress', 'answered', 'closed', 'archived')),
  resolution_class  smallint CHECK (resolution_class IN (5, 14, 60)),
  archive_reason    text CHECK (archive_reason IN (
                      'duplicate', 'incomplete', 'not_public_service', 'spam_hoax', 'abusive')),
  duplicate_of_id   bigint REFERENCES reports (id),
  -- who holds it now: the responsible body (a K/L/D) and, after disposition, a unit below it
  body_id           bigint REFERENCES bodies (id),
  unit_id           bigint REFERENCES bodies (id),
  -- the reporter's identity lives in users; only the reporter's and the national admin's
  -- projections ever join it for an anonymous report
  reporter_id       bigint NOT NULL REFERENCES users (id),
  channel           text NOT NULL CHECK (channel IN (
                      'web', 'mobile', 'sms', 'x', 'whatsapp', 'telegram', 'email', 'integration', 'open311')),
  channel_message   jsonb,                   -- the raw message it came from, for non-web channels
  verified_at       timestamptz,
  answered_at       timestamptz,
  closed_at         timestamptz,
  rating            smallint CHECK (rating BETWEEN 1 AND 5),
  rated_at          timestamptz,
  escalated_at      timestamptz,             -- Ombudsman escalation: a flag beside the state
  ombudsman_body_id bigint REFERENCES bodies (id),
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  -- the one rule for public view: never secret, never archived as spam/hoax or abusive
  is_public         boolean GENERATED ALWAYS AS (
                      NOT is_secret AND NOT (status = 'archived' AND archive_reason IN ('spam_hoax', 'abusive'))
                    ) STORED,
  search            tsvector GENERATED ALWAYS AS (
                      setweight(to_tsvector('indonesian', title), 'A') ||
                      setweight(to_tsvector('indonesian', body), 'B')
                    ) STORED,
  CHECK ((status = 'archived') = (archive_reason IS NOT NULL)),
  CHECK (archive_reason = 'duplicate' OR duplicate_of_id IS NULL)
);
CREATE INDEX reports_search_idx ON reports USING gin (search);
CREATE INDEX reports_public_feed_idx ON reports (created_at DESC, id DESC) WHERE is_public;
CREATE INDEX reports_body_idx ON reports (body_id, status);
CREATE INDEX reports_unit_idx ON reports (unit_id);
CREATE INDEX reports_suggested_idx ON reports (suggested_body_id) WHERE status = 'submitted';
CREATE INDEX reports_reporter_idx ON reports (reporter_id, created_at DESC);
CREATE INDEX reports_region_idx ON reports (region_code text_pattern_ops);
CREATE INDEX reports_category_idx ON reports (category_id);
CREATE INDEX reports_created_idx ON reports (created_at DESC, id DESC);

-- The timeline: append-only. Each event says who may read it.
CREATE TABLE report_events (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  report_id     bigint NOT NULL REFERENCES reports (id),
  at            timestamptz NOT NULL DEFAULT now(),
  type          text NOT NULL,
  actor_id      bigint REFERENCES users (id),   -- null for the system
  actor_role    text NOT NULL,                   -- a role code, or 'system'
  actor_body_id bigint REFERENCES bodies (id),
  -- public: everyone who may read the report; reporter: the reporter and staff;
  -- staff: handling staff and overseers; national: national admins only
  visibility    text NOT NULL CHECK (visibility IN ('public', 'reporter', 'staff', 'national')),
  from_status   text,
  to_status     text,
  message       text,
  data          jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX report_events_report_idx ON report_events (report_id, id);

CREATE TABLE attachments (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  report_id    bigint NOT NULL REFERENCES reports (id),
  event_id     bigint REFERENCES report_events (id),
  storage_key  text NOT NULL UNIQUE,
  file_name    text NOT NULL,
  media_type   text NOT NULL,
  size_bytes   integer NOT NULL,
  sha256       text NOT NULL,
  visibility   text NOT NULL CHECK (visibility IN ('public', 'reporter', 'staff', 'national')),
  uploaded_by  bigint REFERENCES users (id),
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX attachments_report_idx ON attachments (report_id);

-- Every look by a national admin at the identity behind an anonymous report.
CREATE TABLE identity_access_log (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  report_id  bigint NOT NULL REFERENCES reports (id),
  user_id    bigint NOT NULL REFERENCES users (id),
  reason     text NOT NULL,
  at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX identity_access_log_report_idx ON identity_access_log (report_id);

-- Prevent edits to the timeline and the audit log on either engine.
CREATE FUNCTION forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END $$;
CREATE TRIGGER report_events_append_only BEFORE UPDATE OR DELETE ON report_events
  FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER identity_access_log_append_only BEFORE UPDATE OR DELETE ON identity_access_log
  FOR EACH ROW EXECUTE FUNCTION forbid_change();
