-- pgbench script: the SQL that POST /api/v1/reports runs for one JSON submission without attachments,
-- in the same order, as one transaction. Run by bench/intake.ts (npm run bench:intake), which passes
-- the -D variables below. Each statement is copied from the code; $n placeholders became :variables,
-- and parameters that are always NULL for this request became a literal NULL.
--
--   :hashes  the sha256 token hashes (hex, 64 characters each) of the bench's reporter sessions
--   :nusers  how many hashes; client k uses session k % nusers, as the API clients do
--   :now     the request's clock (deps.now())
--   :classification :title :body :incident_date :region :anonymous :secret :channel :data
--   :event_type :actor_role :visibility :to_status   the values submitReport passes
\set k :client_id % :nusers
\set off :k * 64 + 1
-- A random tracking ID per call. 16 digits rather than the API's 8 letters: pgbench has no
-- string functions, and a clash (ON CONFLICT, no row) would abort the client at \gset.
\set tracking_id random(1000000000000000, 9999999999999999)
BEGIN;
-- src/features/accounts/accounts.repository.ts findActiveSession (authenticate → resolvePrincipal).
-- The token hash is $1 there; here it is cut from :hashes.
SELECT u.id AS user_id, u.role, u.name, u.body_id, s.kind
       FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.token_hash = decode(substr(:hashes, :off, 64), 'hex') AND s.expires_at > :now AND u.disabled_at IS NULL \gset
-- src/features/reports/reports.service.ts checkReferences (regionCode given).
SELECT 1 FROM regions WHERE code = :region;
-- src/features/reports/reports.service.ts insertWithFreshTrackingId.
-- $7 latitude, $8 longitude, $9 category_id, $10 suggested_body_id are NULL.
INSERT INTO reports (tracking_id, classification, title, body, incident_date, region_code, latitude, longitude,
                            category_id, suggested_body_id, is_anonymous, is_secret, status, reporter_id, channel,
                            created_at, updated_at)
       VALUES (:tracking_id, :classification, :title, :body, :incident_date, :region, NULL, NULL, NULL, NULL, :anonymous, :secret, 'submitted', :user_id, :channel, :now, :now)
       ON CONFLICT (tracking_id) DO NOTHING
       RETURNING id, tracking_id \gset report_
-- src/features/reports/reports.repository.ts insertEvent.
-- $6 actor_body_id, $8 from_status, $10 message are NULL.
INSERT INTO report_events (report_id, at, type, actor_id, actor_role, actor_body_id, visibility, from_status, to_status, message, data)
     VALUES (:report_id, :now, :event_type, :user_id, :actor_role, NULL, :visibility, NULL, :to_status, NULL, :data) RETURNING id;
COMMIT;
