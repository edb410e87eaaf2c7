-- The outbox holds SMS texts and REDCap writes, and each of its hot indexes serves only one of them: the
-- dispatcher's queue and the per-phone lookups (an earlier pending text, suppression, the last note to a
-- phone) read texts; the write-back reads pending writes. Every row paid for entries in all of them, at
-- insert and again when it was sent. Partial indexes hold only the rows their readers look for.
DROP INDEX outbox_due;
DROP INDEX outbox_by_phone;
DROP INDEX outbox_pending_by_channel;
CREATE INDEX outbox_texts_due ON outbox (next_attempt_at, id) WHERE channel = 'sms' AND status = 'pending';
CREATE INDEX outbox_texts_by_phone ON outbox (project, phone, status, id) WHERE channel = 'sms';
CREATE INDEX outbox_writes_pending ON outbox (id) WHERE channel = 'redcap' AND status = 'pending';

-- Failures are rare; the dashboard lists them and the admin API shows a conversation's (outbox_due did).
CREATE INDEX outbox_failed ON outbox (conversation_id, id) WHERE status = 'failed';
