-- A body cannot bury a report it was only offered: its archive is a request that a national admin
-- confirms or rejects. The request, while it stands: reason, duplicate, who asked, when, why.
ALTER TABLE reports ADD COLUMN archive_request jsonb;

-- The reporter appeals an archive once, to the national admin, who grants it (the report goes
-- back to the national desk) or rejects it. Appealed once means appealed_at is never cleared.
ALTER TABLE reports ADD COLUMN appealed_at timestamptz;
ALTER TABLE reports ADD COLUMN appeal_decided_at timestamptz;
ALTER TABLE reports ADD CONSTRAINT reports_appeal_order_check
  CHECK (appeal_decided_at IS NULL OR appealed_at IS NOT NULL);

-- A body's admins hear of missed deadlines as one digest per sweep. A breach not yet in a digest
-- waits here, so a sweep that stops before its digest leaves the breach for the next one.
ALTER TABLE report_clocks ADD COLUMN breach_digested_at timestamptz;
UPDATE report_clocks SET breach_digested_at = breached_at WHERE breached_at IS NOT NULL;
CREATE INDEX report_clocks_undigested_idx ON report_clocks (breach_body_id)
  WHERE breached_at IS NOT NULL AND breach_digested_at IS NULL;
