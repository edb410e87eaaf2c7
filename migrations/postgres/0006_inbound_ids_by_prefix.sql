-- Mosio's repeat check finds earlier copies of a text by the prefix of their synthetic provider message id
-- (decision 0064). The unique (provider, provider_message_id) index compares in the database's collation,
-- where LIKE 'prefix%' cannot use it; this one compares byte by byte, so the prefix is a range on it.
CREATE INDEX inbound_messages_by_id_prefix ON inbound_messages (provider, provider_message_id text_pattern_ops);
