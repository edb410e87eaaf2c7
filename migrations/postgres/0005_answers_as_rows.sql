-- A conversation's answers as rows, as SQLite's migration 0017 (decision 0069): the record's values and the
-- `answered` list leave the snapshot, which keeps "record":"rows" and "answered":<count> in their places.
-- seq keeps the order values first came into the record. Deleting a conversation deletes its rows.
CREATE TABLE conversation_answers (
  conversation_id  text NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  field            text NOT NULL,
  value            text NOT NULL,
  seq              bigint GENERATED ALWAYS AS IDENTITY,
  PRIMARY KEY (conversation_id, field)
);
CREATE INDEX conversation_answers_in_order ON conversation_answers (conversation_id, seq);

CREATE TABLE conversation_answered (
  conversation_id  text NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  position         integer NOT NULL,
  field            text NOT NULL,
  PRIMARY KEY (conversation_id, position)
);

-- Conversations stored before: their record and list move to rows, in their order.
INSERT INTO conversation_answers (conversation_id, field, value)
  SELECT c.id, r.key, r.value
  FROM conversations c CROSS JOIN LATERAL json_each_text(c.snapshot -> 'context' -> 'record') WITH ORDINALITY AS r (key, value, n)
  WHERE json_typeof(c.snapshot -> 'context' -> 'record') = 'object'
  ORDER BY c.seq, r.n;

INSERT INTO conversation_answered (conversation_id, position, field)
  SELECT c.id, a.n - 1, a.field
  FROM conversations c CROSS JOIN LATERAL json_array_elements_text(c.snapshot -> 'context' -> 'answered') WITH ORDINALITY AS a (field, n)
  WHERE json_typeof(c.snapshot -> 'context' -> 'answered') = 'array';

-- The snapshot rebuilt key by key in its own order (json keeps the text; jsonb_set would re-order it).
UPDATE conversations c SET snapshot = (
  SELECT json_object_agg(s.key, CASE WHEN s.key = 'context' THEN (
      SELECT json_object_agg(x.key, CASE
          WHEN x.key = 'record' AND json_typeof(x.value) = 'object' THEN to_json('rows'::text)
          WHEN x.key = 'answered' AND json_typeof(x.value) = 'array' THEN to_json(json_array_length(x.value))
          ELSE x.value END ORDER BY x.n)
      FROM json_each(s.value) WITH ORDINALITY AS x (key, value, n)) ELSE s.value END ORDER BY s.n)
  FROM json_each(c.snapshot) WITH ORDINALITY AS s (key, value, n))
WHERE json_typeof(c.snapshot -> 'context') = 'object'
  AND (json_typeof(c.snapshot -> 'context' -> 'record') = 'object' OR json_typeof(c.snapshot -> 'context' -> 'answered') = 'array');
