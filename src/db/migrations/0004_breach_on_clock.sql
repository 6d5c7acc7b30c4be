-- A missed deadline is recorded on the clock row itself instead of in a separate ledger table.
--
-- The clock row already exists once per report, clock kind and cycle, is never deleted, and is
-- locked and updated by the sweep when it expires; a second table only repeated its key and added
-- one more row, three more index entries and four foreign-key checks to every breach
-- (docs/benchmarks.md, "Deadline sweep"). The sweep now writes who the breach counts against on the
-- clock, in the same UPDATE that marks it expired, and the view below keeps the ledger's shape for
-- evaluation.
ALTER TABLE report_clocks
  -- the body and unit holding the report when the deadline was missed (the body may hand it on
  -- later; the breach stays with the body that missed it). Null body: the national desk.
  ADD COLUMN breach_body_id bigint REFERENCES bodies (id),
  ADD COLUMN breach_unit_id bigint REFERENCES bodies (id);

UPDATE report_clocks c
   SET breach_body_id = b.body_id, breach_unit_id = b.unit_id
  FROM sla_breaches b
 WHERE b.clock_id = c.id;

DROP TABLE sla_breaches;

-- A recorded breach is kept for evaluation: once a clock has breached, what the ledger shows of it
-- cannot change, and the clock cannot be deleted. The WHEN clause is checked without calling the
-- function, so the sweep's own update (breached_at still null before it) pays nothing for it.
CREATE FUNCTION keep_clock_breach() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'report_clocks %: a clock with a recorded breach is kept for evaluation and cannot be deleted', OLD.id;
  END IF;
  IF (NEW.report_id, NEW.kind, NEW.cycle, NEW.due_at, NEW.breached_at, NEW.breach_body_id, NEW.breach_unit_id)
     IS DISTINCT FROM (OLD.report_id, OLD.kind, OLD.cycle, OLD.due_at, OLD.breached_at, OLD.breach_body_id, OLD.breach_unit_id) THEN
    RAISE EXCEPTION 'report_clocks %: a recorded breach cannot be changed', OLD.id;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER report_clocks_keep_breach BEFORE UPDATE OR DELETE ON report_clocks
  FOR EACH ROW WHEN (OLD.breached_at IS NOT NULL) EXECUTE FUNCTION keep_clock_breach();

-- Evaluation reads breaches per body and period.
CREATE INDEX report_clocks_breach_idx ON report_clocks (breach_body_id, breached_at) WHERE breached_at IS NOT NULL;

-- The breach ledger: one row per missed target that counts against a body. The reporter's own
-- windows (reply_window, completion) expire too but count against no one: the same list as
-- countsAgainstBody in src/domain/sla.ts (a test holds the two together).
CREATE VIEW sla_breaches AS
SELECT c.id AS clock_id, c.report_id, c.kind, c.cycle, c.breach_body_id AS body_id, c.breach_unit_id AS unit_id,
       c.due_at, c.breached_at
  FROM report_clocks c
 WHERE c.breached_at IS NOT NULL
   AND c.kind NOT IN ('reply_window', 'completion');
