-- A report becomes public when it is verified, not when it is filed: the verifier is the last
-- chance to mark it rahasia or anonim (domain.md). Until then only the reporter and the staff who
-- handle it can read it. The one rule for public view stays this generated column; dropping it
-- drops the feed index built on it, which is made again below.
ALTER TABLE reports DROP COLUMN is_public;
ALTER TABLE reports ADD COLUMN is_public boolean GENERATED ALWAYS AS (
  verified_at IS NOT NULL
  AND NOT is_secret
  AND NOT (status = 'archived' AND archive_reason IN ('spam_hoax', 'abusive'))
) STORED;
CREATE INDEX reports_public_feed_idx ON reports (created_at DESC, id DESC) WHERE is_public;
