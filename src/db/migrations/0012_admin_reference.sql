-- The admin pages over the reference data and the staff accounts (issue 10 §2).

-- A category is never deleted, since reports point at it: its admin retires it instead. A retired
-- category, or one under a retired parent, is no longer offered to a new report or a correction;
-- the reports filed under it keep it.
ALTER TABLE categories ADD COLUMN active boolean NOT NULL DEFAULT true;
-- A body's own sub-categories, listed for its admins and its staff.
CREATE INDEX categories_body_idx ON categories (body_id) WHERE body_id IS NOT NULL;

-- Two more things done to an account: made by an admin (with the role and body it was given), and
-- a change of its role or body by an admin (from, to, and how many sessions that ended).
ALTER TABLE account_events DROP CONSTRAINT account_events_action_check;
ALTER TABLE account_events ADD CONSTRAINT account_events_action_check CHECK (action IN (
  'disabled', 'enabled', 'password_changed', 'password_reset', 'signed_out_everywhere', 'profile_changed',
  'created', 'role_changed'));
