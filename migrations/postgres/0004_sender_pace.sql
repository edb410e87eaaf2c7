-- The senders' rates, shared by every instance on this database (decision 0059): one token bucket per sender
-- (Messaging Service SID, else number, else project), refilled on the database's clock, never the instances'.
CREATE TABLE sender_pace (
  sender text PRIMARY KEY,
  tokens double precision NOT NULL,
  updated_at timestamptz NOT NULL
);

-- Takes up to p_change whole tokens (p_change >= 0), or gives back -p_change unused ones taken at
-- p_reserved_at less the refill since then (returned whole, they could let the bucket grant more than its
-- rate), in one statement: the dispatcher's one round trip a round. The row lock orders concurrent callers;
-- the refill is measured from the moment the lock is held. Returns what was granted, the milliseconds until a
-- token is free, and the moment of this call (a reservation's, to give back with).
CREATE FUNCTION pace_sender(p_sender text, p_rate double precision, p_capacity double precision, p_change integer,
  p_reserved_at text)
RETURNS TABLE (granted integer, wait_ms double precision, reserved_at text)
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
    -- (1e-9: a give-back's refill and discount cancel, up to the floating point's rounding)
    granted := least(p_change, floor(v_level + 1e-9)::integer);
    v_level := v_level - granted;
  ELSE
    granted := 0;
    v_level := least(p_capacity, v_level
      + greatest(0, -p_change - p_rate * greatest(0, extract(epoch FROM v_now - p_reserved_at::timestamptz)::double precision)));
  END IF;
  UPDATE sender_pace SET tokens = v_level, updated_at = greatest(v_updated, v_now) WHERE sender = p_sender;
  wait_ms := CASE WHEN v_level + 1e-9 >= 1 THEN 0 ELSE (1 - v_level) * 1000 / p_rate END;
  -- To the microsecond, so a give-back discounts exactly the refill since.
  reserved_at := v_now::text;
  RETURN NEXT;
END
$$;
