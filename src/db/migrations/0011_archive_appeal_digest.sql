-- A body cannot bury a report it was only offered: its archive is a request that a national admin
-- confirms or rejects. The request, while it stands: reason, duplicate, who asked, when, why.
ALTER TABLE reports ADD COLUMN archive_request jsonb;

-- The reporter appeals an archive once, to the national admin, who grants it (the report goes
-- back to the national desk) or rejects it. Appealed once means appealed_at is never cleared.
ALTER TABLE reports ADD COLUMN appealed_at timestamptz;
ALTER TABLE reports ADD COLUMN appeal_decided_at timestamptz;
ALTER TABLE reports ADD CONSTRAINT reports_appeal_order_check
  CHECK (appeal_decided_at IS NULL OR appealed_at IS NOT NULL);

-- A body's admins hear of missed deadlines as one digest per sweep. Each breach that counts
-- against a body waits here, written in the transaction that records it, until a digest lists it
-- (the digest deletes it in its own transaction): a sweep that stops before its digest leaves the
-- breach for the next one. A narrow table of its own, so that digesting costs no update of the
-- clock rows (which would rewrite every index of report_clocks). No foreign keys: rows live for
-- a minute, are written only by the sweep from rows it has locked, and their checks would cost the
-- sweep more than the rest of the queue.
-- It carries what the digest says (the sweep has it in hand), so the digest reads nothing else.
CREATE TABLE breach_digest_queue (
  clock_id    bigint PRIMARY KEY,   -- report_clocks.id
  body_id     bigint,               -- bodies.id; null: the national desk (verification)
  breached_at timestamptz NOT NULL,
  kind        text NOT NULL,
  due_at      timestamptz NOT NULL,
  time_zone   text NOT NULL,
  tracking_id text NOT NULL,
  title       text NOT NULL
);
