-- Delivery tracking for outgoing texts (the outbox dispatcher and Twilio status callbacks).
-- provider_message_id: the Twilio Message SID, set when the send is accepted; status callbacks find
-- the row by it. delivery_status: Twilio's latest MessageStatus; delivery_error: its ErrorCode.

ALTER TABLE outbox ADD COLUMN provider_message_id TEXT;
ALTER TABLE outbox ADD COLUMN delivery_status TEXT;
ALTER TABLE outbox ADD COLUMN delivery_error INTEGER;
ALTER TABLE outbox ADD COLUMN delivery_updated_at TEXT;

CREATE UNIQUE INDEX outbox_by_provider_message ON outbox (provider_message_id)
  WHERE provider_message_id IS NOT NULL;

-- Texts to one phone go out in order: the dispatcher looks for an earlier pending text per phone.
CREATE INDEX outbox_by_phone ON outbox (project, phone, status, id);
