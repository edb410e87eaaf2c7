-- A conversation's transcript was found through transcript_by_conversation. Its keys are random (the
-- conversation's UUID), so every text wrote one more random index page: about 40% of the pages a text
-- wrote to the WAL, and, measured turn about, about an eighth of the service's throughput. Instead, each
-- entry points at the previous entry of its conversation, and the conversation at its latest entry: the
-- conversation's row is rewritten by every text anyway, so keeping the head costs no page of its own.
-- Reading a transcript walks the chain back (storage/transcript-chain.ts).
ALTER TABLE transcript ADD COLUMN previous_id INTEGER;
ALTER TABLE conversations ADD COLUMN last_transcript_id INTEGER;

UPDATE transcript SET previous_id = (
    SELECT MAX(p.id) FROM transcript p WHERE p.conversation_id = transcript.conversation_id AND p.id < transcript.id)
  WHERE conversation_id IS NOT NULL;
UPDATE conversations SET last_transcript_id = (SELECT MAX(t.id) FROM transcript t WHERE t.conversation_id = conversations.id);

DROP INDEX transcript_by_conversation;

-- Whoever appends an entry, the conversation's head follows it. The inserter supplies previous_id as the
-- head before the insert (SqliteStore.appendTranscript).
CREATE TRIGGER transcript_chain AFTER INSERT ON transcript WHEN NEW.conversation_id IS NOT NULL BEGIN
  UPDATE conversations SET last_transcript_id = NEW.id WHERE id = NEW.conversation_id;
END;
