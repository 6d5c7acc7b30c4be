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
--   :scope_keys :cal_from :cal_to                     the national calendar the clocks count on
--   :v_* :o_*   the verification and Ombudsman clocks: kind, days, unit, time zone, due, reminder,
--               next fire, and the data of their clock_started events
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
-- src/features/sla/clocks.service.ts applyClockPlan(clockPlan('submitted')): start the
-- verification and the Ombudsman clocks. Both count on the national calendar, loaded once per
-- request by CalendarCache (src/features/calendars/calendars.repository.ts selectLayers).
SELECT id, scope, province_code, body_id, scope_key, date, kind, name, provisional FROM calendar_days WHERE scope_key = ANY(:scope_keys::text[]) AND date BETWEEN :cal_from AND :cal_to ORDER BY date;
-- startClock; $5 calendar_body_id is NULL (the report has no body yet).
INSERT INTO report_clocks (report_id, kind, cycle, state, limit_days, limit_unit, calendar_body_id, time_zone,
                                started_at, counted_from, count_days, due_at, reminder_at, next_fire_at)
     SELECT :report_id, :v_kind, COALESCE(MAX(cycle), 0) + 1, 'running', :v_days, :v_unit, NULL, :v_tz, :now, :now, :v_days, :v_due, :v_reminder, :v_next
       FROM report_clocks WHERE report_id = :report_id AND kind = :v_kind
     RETURNING cycle;
-- clockEvent → insertSystemEvent → insertEvent: actor NULL, role 'system', visibility 'staff'.
INSERT INTO report_events (report_id, at, type, actor_id, actor_role, actor_body_id, visibility, from_status, to_status, message, data)
     VALUES (:report_id, :now, :clock_event_type, NULL, :system_role, NULL, :staff_visibility, NULL, NULL, NULL, :v_data) RETURNING id;
INSERT INTO report_clocks (report_id, kind, cycle, state, limit_days, limit_unit, calendar_body_id, time_zone,
                                started_at, counted_from, count_days, due_at, reminder_at, next_fire_at)
     SELECT :report_id, :o_kind, COALESCE(MAX(cycle), 0) + 1, 'running', :o_days, :o_unit, NULL, :o_tz, :now, :now, :o_days, :o_due, :o_reminder, :o_next
       FROM report_clocks WHERE report_id = :report_id AND kind = :o_kind
     RETURNING cycle;
INSERT INTO report_events (report_id, at, type, actor_id, actor_role, actor_body_id, visibility, from_status, to_status, message, data)
     VALUES (:report_id, :now, :clock_event_type, NULL, :system_role, NULL, :staff_visibility, NULL, NULL, NULL, :o_data) RETURNING id;
COMMIT;
