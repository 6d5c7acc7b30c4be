-- Working-day calendars are data that admins maintain, in three layers: the national calendar,
-- a province's own days, and a body's own days. A body's effective calendar merges all three.
CREATE TABLE calendar_days (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  scope         text NOT NULL CHECK (scope IN ('national', 'province', 'body')),
  province_code text REFERENCES regions (code),
  body_id       bigint REFERENCES bodies (id),
  date          date NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('holiday', 'cuti_bersama', 'regional', 'workday')),
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  provisional   boolean NOT NULL DEFAULT false,
  created_by    bigint REFERENCES users (id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  -- one key per layer, so uniqueness holds without expressions over nulls
  scope_key     text GENERATED ALWAYS AS (
                  CASE scope WHEN 'national' THEN 'national'
                             WHEN 'province' THEN 'province:' || province_code
                             ELSE 'body:' || body_id::text END
                ) STORED,
  CHECK (
    (scope = 'national' AND province_code IS NULL AND body_id IS NULL) OR
    (scope = 'province' AND province_code IS NOT NULL AND body_id IS NULL) OR
    (scope = 'body' AND body_id IS NOT NULL AND province_code IS NULL)
  )
);
CREATE UNIQUE INDEX calendar_days_scope_date_idx ON calendar_days (scope_key, date);

-- Which years of which layer are entered, with their source (a decree) and status. The shipped
-- national calendar is loaded once per year, so an admin's later edits and deletions stand.
CREATE TABLE calendar_years (
  scope_key  text NOT NULL,
  year       integer NOT NULL CHECK (year BETWEEN 1900 AND 2200),
  status     text NOT NULL CHECK (status IN ('decreed', 'provisional')),
  source     text NOT NULL,
  note       text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope_key, year)
);
