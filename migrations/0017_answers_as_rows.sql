-- A conversation's answers as rows (decision 0069): the record's values and the `answered` list (the fields
-- BACK walks back through) grew the snapshot by every answer, and each text serialised and wrote all of it
-- (issue 28). A save now writes the values its step changed; the snapshot keeps "record":"rows" and
-- "answered":<count> in their places. Deleting a conversation deletes its rows.
CREATE TABLE conversation_answers (
  conversation_id  TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  field            TEXT NOT NULL,
  value            TEXT NOT NULL,
  PRIMARY KEY (conversation_id, field)
) STRICT;
-- A read gives the values in the order they first came into the record (rowid order), sorting nothing:
-- an index's entries end with the rowid.
CREATE INDEX conversation_answers_in_order ON conversation_answers (conversation_id);

CREATE TABLE conversation_answered (
  conversation_id  TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  position         INTEGER NOT NULL,
  field            TEXT NOT NULL,
  PRIMARY KEY (conversation_id, position)
) STRICT;

-- Conversations stored before: their record and list move to rows, in their order.
INSERT INTO conversation_answers (conversation_id, field, value)
  SELECT c.id, r.key, CAST(r.value AS TEXT) FROM conversations c, json_each(c.snapshot, '$.context.record') r
  WHERE json_type(c.snapshot, '$.context.record') = 'object'
  ORDER BY c.rowid, r.id;

INSERT INTO conversation_answered (conversation_id, position, field)
  SELECT c.id, a.key, CAST(a.value AS TEXT) FROM conversations c, json_each(c.snapshot, '$.context.answered') a
  WHERE json_type(c.snapshot, '$.context.answered') = 'array'
  ORDER BY c.rowid, a.key;

UPDATE conversations SET snapshot = json_set(snapshot, '$.context.record', 'rows')
  WHERE json_type(snapshot, '$.context.record') = 'object';

UPDATE conversations SET snapshot = json_set(snapshot, '$.context.answered', json_array_length(snapshot, '$.context.answered'))
  WHERE json_type(snapshot, '$.context.answered') = 'array';
