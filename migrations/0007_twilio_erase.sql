-- Deleting delivered texts from Twilio once their conversation ended (TWILIO_DELETE_DELIVERED, REDCap's
-- privacy behaviour). provider_deleted_at: when Twilio confirmed the Message resource is gone.

ALTER TABLE outbox ADD COLUMN provider_deleted_at TEXT;

-- The eraser looks for delivered texts not yet deleted; partial, so it stays small.
CREATE INDEX outbox_to_erase ON outbox (delivery_updated_at, id)
  WHERE provider_message_id IS NOT NULL AND provider_deleted_at IS NULL AND delivery_status = 'delivered';
