-- The phone simulator's handset: every text it sent to the service and every text the service sent to
-- it (the demo's SMS provider). Empty in production, where Twilio is the provider.
CREATE TABLE simulator_messages (
  id         INTEGER PRIMARY KEY,
  phone      TEXT NOT NULL,                -- E.164, the simulated participant
  direction  TEXT NOT NULL,                -- in: participant → service | out: service → participant
  body       TEXT NOT NULL,
  sid        TEXT NOT NULL UNIQUE,         -- the provider message id, as Twilio's MessageSid
  at         TEXT NOT NULL
) STRICT;
CREATE INDEX simulator_messages_by_phone ON simulator_messages (phone, id);
