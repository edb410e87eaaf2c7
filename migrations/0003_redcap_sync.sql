-- REDCap integration: where a conversation writes (event, repeating instance), which survey version each
-- project uses, invitations from REDCap (rules, survey queue), and opt-out changes queued for REDCap.

-- The REDCap row a conversation's answers go to; absent for a classic, non-repeating project.
CREATE TABLE conversation_targets (
  conversation_id    TEXT PRIMARY KEY REFERENCES conversations(id),
  event              TEXT,               -- redcap_event_name (longitudinal projects)
  repeat_instrument  TEXT,               -- redcap_repeat_instrument ('' for a repeating event)
  repeat_instance    INTEGER             -- redcap_repeat_instance, fixed at invitation
) STRICT;

-- Survey versions loaded for a project, newest last; new conversations use the newest.
CREATE TABLE project_surveys (
  id              INTEGER PRIMARY KEY,
  project         TEXT NOT NULL,
  survey_version  TEXT NOT NULL REFERENCES survey_versions(id),
  source          TEXT NOT NULL,         -- pull | load
  loaded_at       TEXT NOT NULL
) STRICT;
CREATE INDEX project_surveys_newest ON project_surveys (project, id);

-- Invitations created from REDCap (Data Entry Trigger rules, survey queue), sent when due.
-- UNIQUE: a DET fires on every save of a record; one invitation per record, instrument, event and instance.
CREATE TABLE scheduled_invitations (
  id               INTEGER PRIMARY KEY,
  project          TEXT NOT NULL,
  record_id        TEXT NOT NULL,
  instrument       TEXT NOT NULL,
  event            TEXT NOT NULL DEFAULT '',
  repeat_instance  INTEGER NOT NULL DEFAULT 0,
  mode             TEXT NOT NULL,        -- sms | link | offer
  send_at          TEXT NOT NULL,
  status           TEXT NOT NULL DEFAULT 'pending',  -- pending | sent | skipped | failed
  conversation_id  TEXT,
  last_error       TEXT,
  attempts         INTEGER NOT NULL DEFAULT 0,
  created_at       TEXT NOT NULL,
  UNIQUE (project, record_id, instrument, event, repeat_instance)
) STRICT;
CREATE INDEX scheduled_invitations_due ON scheduled_invitations (status, send_at, id);

-- Every opt-out change, from any path (STOP keyword, phone-level STOP, Twilio 21610, START), is queued
-- for REDCap in the same transaction that records it. Triggers, so no code path can forget it.
-- Opt-in has no time of its own in the row; the opt-out time it ends is already past, so it is due at once.
CREATE TRIGGER opt_out_to_redcap AFTER INSERT ON opt_outs BEGIN
  INSERT INTO outbox (conversation_id, project, channel, kind, phone, payload, status, next_attempt_at, created_at)
  VALUES (NULL, NEW.project, 'redcap', 'opt-out', NEW.phone, json_object('at', NEW.opted_out_at), 'pending',
    NEW.opted_out_at, NEW.opted_out_at);
END;

CREATE TRIGGER opt_in_to_redcap AFTER DELETE ON opt_outs BEGIN
  INSERT INTO outbox (conversation_id, project, channel, kind, phone, payload, status, next_attempt_at, created_at)
  VALUES (NULL, OLD.project, 'redcap', 'opt-in', OLD.phone, json_object('optedOutAt', OLD.opted_out_at), 'pending',
    OLD.opted_out_at, OLD.opted_out_at);
END;
