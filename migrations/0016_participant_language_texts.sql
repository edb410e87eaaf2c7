-- The participant's language outside a survey and in a scheduled invitation (decision 0061).
-- A scheduled invitation keeps the language the admin API chose (an MLM language id), used when it is
-- sent; NULL lets the record's language field decide then, as for every invitation before this column.
ALTER TABLE scheduled_invitations ADD COLUMN language TEXT;

-- Texts with no survey open speak the language of the phone's newest conversation, open or not:
-- conversations_by_phone splits a phone's rows by `open`, so finding the newest would sort them.
CREATE INDEX conversations_latest_by_phone ON conversations (project, phone, created_at);
