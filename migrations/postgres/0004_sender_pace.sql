-- The senders' rates, shared by every instance on this database (decision 0059): one token bucket per sender
-- (Messaging Service SID, else number, else project), refilled on the database's clock, never the instances'.
CREATE TABLE sender_pace (
  sender text PRIMARY KEY,
  tokens double precision NOT NULL,
  updated_at timestamptz NOT NULL
);

-- Takes up to p_change whole tokens (p_change >= 0) or gives back -p_change unused ones, in one statement:
-- the dispatcher's one round trip a round. The row lock orders concurrent callers; the refill is measured
-- from the moment the lock is held. Returns what was granted and the milliseconds until a token is free.
CREATE FUNCTION pace_sender(p_sender text, p_rate double precision, p_capacity double precision, p_change integer)
RETURNS TABLE (granted integer, wait_ms double precision)
LANGUAGE plpgsql AS $$
DECLARE
  v_tokens double precision;
  v_updated timestamptz;
  v_now timestamptz;
  v_level double precision;
BEGIN
  INSERT INTO sender_pace (sender, tokens, updated_at) VALUES (p_sender, p_capacity, clock_timestamp())
    ON CONFLICT (sender) DO NOTHING;
  SELECT s.tokens, s.updated_at INTO v_tokens, v_updated FROM sender_pace s WHERE s.sender = p_sender FOR UPDATE;
  v_now := clock_timestamp();
  v_level := least(p_capacity, v_tokens + p_rate * greatest(0, extract(epoch FROM v_now - v_updated)::double precision));
  IF p_change >= 0 THEN
    granted := least(p_change, floor(v_level)::integer);
    v_level := v_level - granted;
  ELSE
    granted := 0;
    v_level := least(p_capacity, v_level - p_change);
  END IF;
  UPDATE sender_pace SET tokens = v_level, updated_at = greatest(v_updated, v_now) WHERE sender = p_sender;
  wait_ms := CASE WHEN v_level >= 1 THEN 0 ELSE (1 - v_level) * 1000 / p_rate END;
  RETURN NEXT;
END
$$;
