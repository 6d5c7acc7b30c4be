-- Small facts about the installation itself, by key: e.g. which reference data it holds
-- ('reference_fingerprint'), so that a start does not rebuild it when nothing has changed.
CREATE TABLE system_state (
  key        text PRIMARY KEY,
  value      text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
