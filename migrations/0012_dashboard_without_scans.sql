-- The dashboard is read on the HTTP thread, so while it is read no webhook is answered. Three of its
-- queries read whole tables: with 6,000 participants one read took two seconds, and it grows with the
-- study. Each now reads an index or one row per conversation (adapters/admin/dashboard-queries.ts).

-- "Started" (the participant texted at least once) scanned the transcript. The store sets this flag
-- with the conversation's transcript head (storage/transcript-chain.ts), in the save it makes anyway.
ALTER TABLE conversations ADD COLUMN replied INTEGER NOT NULL DEFAULT 0;
UPDATE conversations SET replied = 1 WHERE id IN (SELECT conversation_id FROM transcript WHERE direction = 'in');

-- The latest invitations: conversations are written once by date, so this index only ever grows at its end.
CREATE INDEX conversations_by_created ON conversations (created_at);

-- Flagged conversations among the problems: a partial index holds only the flags, so the texts of the
-- inbound path, which never match it, write nothing to it.
CREATE INDEX transcript_flags ON transcript (at, id) WHERE direction = 'event' AND kind = 'flag';
