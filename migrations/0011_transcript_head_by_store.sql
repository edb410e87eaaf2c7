-- Migration 0010's trigger moved a conversation's transcript head on every entry: three rewrites of the
-- conversation's row per inbound text, on top of the save of the conversation itself. The store now
-- keeps the heads of the open transaction and writes each with the conversation's save, or once before
-- the commit (storage/transcript-chain.ts). Entries still name the entry before them.
DROP TRIGGER transcript_chain;
