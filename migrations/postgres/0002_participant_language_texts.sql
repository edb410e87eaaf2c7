-- SQLite's 0016: the participant's language outside a survey and in a scheduled invitation (decision 0061).
-- A scheduled invitation keeps the language the admin API chose (an MLM language id), used when it is
-- sent; NULL lets the record's language field decide then.
ALTER TABLE scheduled_invitations ADD COLUMN language text;

-- Texts with no survey open speak the language of the phone's newest conversation, open or not.
CREATE INDEX conversations_latest_by_phone ON conversations (project, phone, created_at, seq);
