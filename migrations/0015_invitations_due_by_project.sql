-- The invitation loop reads each project's due invitations on their own (app/redcap-invitations.ts).
-- Read together, the oldest hundred could all be one project's: a large cohort invited at once, or
-- invitations waiting out that project's REDCap outage, ahead of every other project's.
CREATE INDEX scheduled_invitations_due_by_project ON scheduled_invitations (project, send_at, id) WHERE status = 'pending';
