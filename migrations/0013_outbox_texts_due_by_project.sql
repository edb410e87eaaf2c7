-- The dispatcher reads each project's due texts on their own, as many as that project's sender may send
-- now (app/dispatch-outbox.ts). One queue in time order for every project let one project's backlog (a
-- cohort invited at a long code's 1 text a second) fill every round and hold back the others' texts.
DROP INDEX outbox_texts_due;
CREATE INDEX outbox_texts_due ON outbox (project, next_attempt_at, id) WHERE channel = 'sms' AND status = 'pending';
