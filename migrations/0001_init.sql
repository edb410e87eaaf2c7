-- The conversation store: survey versions, conversations, inbound dedupe, outbox, timers, opt-outs, transcript.
-- Times are ISO-8601 UTC strings from the injected clock (`toISOString()`), so they sort as text.

CREATE TABLE survey_versions (
  id          TEXT PRIMARY KEY,          -- content hash of the normalised dictionary (Survey.id)
  definition  TEXT NOT NULL,             -- the Survey as JSON; never updated
  created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE conversations (
  id               TEXT PRIMARY KEY,
  project          TEXT NOT NULL,
  phone            TEXT NOT NULL,         -- E.164
  record_id        TEXT NOT NULL,
  instrument       TEXT NOT NULL,
  survey_version   TEXT NOT NULL REFERENCES survey_versions(id),
  status           TEXT NOT NULL,         -- the machine state, copied for queries
  open             INTEGER NOT NULL,      -- 1 until completed, superseded or closed
  active           INTEGER NOT NULL,      -- 1 when inbound texts for the phone go here
  snapshot         TEXT NOT NULL,         -- persisted XState snapshot (JSON)
  snapshot_format  INTEGER NOT NULL,
  machine_version  INTEGER NOT NULL,
  revision         INTEGER NOT NULL,      -- optimistic concurrency: +1 on every save
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
) STRICT;
CREATE INDEX conversations_by_phone ON conversations (project, phone, open, created_at);

CREATE TABLE inbound_messages (
  id                   INTEGER PRIMARY KEY,
  provider             TEXT NOT NULL,
  provider_message_id  TEXT NOT NULL,
  project              TEXT NOT NULL,
  phone                TEXT NOT NULL,
  received_at          TEXT NOT NULL,
  UNIQUE (provider, provider_message_id)
) STRICT;

CREATE TABLE outbox (
  id               INTEGER PRIMARY KEY,  -- also the idempotency key towards Twilio and REDCap
  conversation_id  TEXT REFERENCES conversations(id),
  project          TEXT NOT NULL,
  channel          TEXT NOT NULL,        -- 'sms' | 'redcap'
  kind             TEXT NOT NULL,        -- sms: question, invitation, reminder…; redcap: write
  phone            TEXT,
  payload          TEXT NOT NULL,        -- JSON: { body } or { record, values }
  status           TEXT NOT NULL DEFAULT 'pending',  -- pending | sent | failed | suppressed
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  TEXT NOT NULL,
  last_error       TEXT,
  created_at       TEXT NOT NULL
) STRICT;
CREATE INDEX outbox_due ON outbox (status, next_attempt_at, id);

CREATE TABLE timers (
  id               INTEGER PRIMARY KEY,
  conversation_id  TEXT NOT NULL REFERENCES conversations(id),
  kind             TEXT NOT NULL,        -- reminder | expiry
  due_at           TEXT NOT NULL,
  revision         INTEGER NOT NULL,     -- the conversation's timer revision when set; stale if it moved on
  status           TEXT NOT NULL DEFAULT 'pending'  -- pending | fired | cancelled
) STRICT;
CREATE INDEX timers_due ON timers (status, due_at, id);

CREATE TABLE opt_outs (
  project       TEXT NOT NULL,
  phone         TEXT NOT NULL,           -- E.164
  opted_out_at  TEXT NOT NULL,
  source        TEXT NOT NULL,           -- keyword | provider
  PRIMARY KEY (project, phone)
) STRICT;

CREATE TABLE transcript (
  id               INTEGER PRIMARY KEY,
  conversation_id  TEXT REFERENCES conversations(id),
  project          TEXT NOT NULL,
  direction        TEXT NOT NULL,        -- in | out | event
  kind             TEXT NOT NULL,
  body             TEXT NOT NULL,
  at               TEXT NOT NULL
) STRICT;
CREATE INDEX transcript_by_conversation ON transcript (conversation_id, id);
