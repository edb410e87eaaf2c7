-- Data Entry Triggers that arrived while REDCap could not be read. REDCap does not retry a DET, so one we
-- could not act on at once is kept here and retried by the invitation loop until REDCap answers.
CREATE TABLE redcap_triggers (
  id                 INTEGER PRIMARY KEY,
  redcap_project_id  TEXT NOT NULL,      -- as posted; matched to a configured project when handled
  record             TEXT NOT NULL,
  instrument         TEXT NOT NULL,
  event              TEXT,
  status             TEXT NOT NULL DEFAULT 'pending',  -- pending | done | failed
  attempts           INTEGER NOT NULL DEFAULT 0,
  next_attempt_at    TEXT NOT NULL,
  last_error         TEXT,
  received_at        TEXT NOT NULL
) STRICT;
CREATE INDEX redcap_triggers_due ON redcap_triggers (status, next_attempt_at, id);
