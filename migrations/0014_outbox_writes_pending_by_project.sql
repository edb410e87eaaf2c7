-- The REDCap write-back reads each project's pending writes on their own (app/write-back.ts). Read
-- together, the oldest few thousand could all be one project's writes waiting out a REDCap outage, and
-- hide every other project's newer answers until that backlog had drained.
DROP INDEX outbox_writes_pending;
CREATE INDEX outbox_writes_pending ON outbox (project, id) WHERE channel = 'redcap' AND status = 'pending';
