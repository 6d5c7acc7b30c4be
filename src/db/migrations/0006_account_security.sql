-- Sign-in that an attacker cannot get past, and an owner cannot be locked out of (issue 8, section 1).

-- Attempt counters, reserved before any password is checked (one upsert each, atomic on both
-- engines and across processes). Keys:
--   'acct:<user id>' or 'acct:login:<normalised login>'  one account, whatever the login; its growing delay
--   'pair:<address> <account key>'                        hard limit per client address and account
--   'ip:<address>'                                        looser limit per client address
--   'register:<address>', 'mail:<address>', 'mail:<account key>', 'code:<address>'  the other throttles
-- The old table counted failures after the password check, so a parallel burst was never counted.
DROP TABLE login_throttle;
CREATE TABLE auth_throttle (
  key          text PRIMARY KEY,
  window_start timestamptz NOT NULL,
  -- attempts reserved in the window (account keys: since the last success)
  attempts     integer NOT NULL,
  -- account keys: no attempt is checked before this instant
  next_at      timestamptz NOT NULL DEFAULT '-infinity',
  -- whether the last reservation was granted (what RETURNING reports to its caller)
  granted      boolean NOT NULL DEFAULT true
);
CREATE INDEX auth_throttle_window_idx ON auth_throttle (window_start);

-- One-time sign-in codes. The request hands its caller a random challenge; the code goes to the
-- account's own address. Neither is stored: only sha256(challenge) and sha256(challenge:code), so
-- the six digits cannot be searched from a copy of this table. A guesser without the challenge
-- cannot even try, so guesses never use up the owner's code.
CREATE TABLE sign_in_codes (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  challenge_hash bytea NOT NULL UNIQUE,
  -- null for a login with no account: the same answer and work, never a way in
  user_id        bigint REFERENCES users (id) ON DELETE CASCADE,
  code_hash      bytea NOT NULL,
  attempts       integer NOT NULL DEFAULT 0,
  created_at     timestamptz NOT NULL,
  expires_at     timestamptz NOT NULL,
  used_at        timestamptz
);
CREATE INDEX sign_in_codes_user_idx ON sign_in_codes (user_id);
CREATE INDEX sign_in_codes_expires_idx ON sign_in_codes (expires_at);

-- Forgotten-password tokens, sent by email; single use, stored hashed.
CREATE TABLE password_resets (
  token_hash bytea PRIMARY KEY,
  user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at    timestamptz
);
CREATE INDEX password_resets_user_idx ON password_resets (user_id);

-- What was done to an account, by whom: admin disables and re-enables, password changes and resets,
-- sign-outs everywhere, contact changes. Append-only, like the timeline.
CREATE TABLE account_events (
  id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id  bigint NOT NULL REFERENCES users (id),
  actor_id bigint REFERENCES users (id),
  action   text NOT NULL CHECK (action IN (
             'disabled', 'enabled', 'password_changed', 'password_reset', 'signed_out_everywhere', 'profile_changed')),
  at       timestamptz NOT NULL,
  data     jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX account_events_user_idx ON account_events (user_id, id);
CREATE TRIGGER account_events_append_only BEFORE UPDATE OR DELETE ON account_events
  FOR EACH ROW EXECUTE FUNCTION forbid_change();

CREATE INDEX users_created_idx ON users (created_at DESC, id DESC);
