-- A conversation's snapshot is kept exactly as the engine wrote it, as SQLite keeps it: json stores the text,
-- where jsonb re-orders object keys, so a snapshot read back would no longer be the one persisted (decision 0054).
ALTER TABLE conversations ALTER COLUMN snapshot TYPE json USING snapshot::json;
