-- Which messages a user does not want by email (in-app ones always arrive). Groups, not
-- templates, so that a new template of a group follows the user's choice. Security messages
-- (sign-in codes, reset links, password and contact changes) are not a choice and have no group.
ALTER TABLE users ADD COLUMN email_opt_out text[] NOT NULL DEFAULT '{}'
  CHECK (email_opt_out <@ ARRAY['report_updates', 'deadlines', 'ombudsman']::text[]);
