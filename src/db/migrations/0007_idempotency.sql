-- Idempotency-Key: a retried POST gets the first response again for 24 hours, and parallel
-- requests with one key make one effect. Only a fingerprint of the request is kept, never the
-- request; the response is encrypted with a key derived from the request itself, so a reader of
-- this table learns nothing from it (a registration's response holds a bearer token).
CREATE TABLE idempotency_keys (
  scope        text NOT NULL,           -- 'user:<id>' or 'anonymous'
  key          text NOT NULL,
  fingerprint  bytea NOT NULL,          -- sha256 over method, path, key and canonical body
  state        text NOT NULL CHECK (state IN ('pending', 'done')),
  status       integer,
  content_type text,
  response     bytea,                   -- AES-256-GCM: iv (12) | tag (16) | ciphertext
  created_at   timestamptz NOT NULL,
  locked_until timestamptz NOT NULL,    -- a pending claim older than this was abandoned (crash)
  expires_at   timestamptz NOT NULL,
  PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_expires_at ON idempotency_keys (expires_at);
