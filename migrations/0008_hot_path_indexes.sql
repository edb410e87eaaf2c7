-- Two reads on the inbound path walked rows of every participant, so a text cost more the more
-- participants a study had (found with the inbound benchmark, 2,000 participants).

-- The REDCap write-back reads its pending rows oldest first on every round. Through outbox_due it had to
-- walk every pending row, the SMS backlog of a rate-limited sender included, and sort them. Partial, so
-- it holds only pending rows.
CREATE INDEX outbox_pending_by_channel ON outbox (channel, id) WHERE status = 'pending';

-- Every answer cancels its conversation's pending timers; through timers_due that walked the pending
-- timers of all conversations.
CREATE INDEX timers_pending_by_conversation ON timers (conversation_id) WHERE status = 'pending';
