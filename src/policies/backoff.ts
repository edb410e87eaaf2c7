/**
 * The outbox dispatcher: sends committed texts to Twilio, at most `ratePerSecond` per sender,
 * oldest first per participant, never to an opted-out number, retrying what may succeed later.
 * Nothing is sent before the unit of work that queued it has committed, so a crash can at worst
 * repeat a text, never lose one.
 */

export interface RetryPolicy {
  /** Delay before the first retry; doubles on each attempt. */
  readonly baseMs: number;
  readonly maxDelayMs: number;
  /** Attempts in all (the first send included) before the text is failed. */
  readonly maxAttempts: number;
}

/** Exponential backoff: base, 2×base, 4×base… capped. */
export function backoffMs(attempt: number, policy: RetryPolicy): number {
  return Math.min(policy.maxDelayMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
}

/** Backoff for REDCap: from 2 s up to 10 minutes between attempts, for as long as REDCap is down. */
export const WRITE_BACK_RETRY: RetryPolicy = { baseMs: 2_000, maxDelayMs: 10 * 60_000, maxAttempts: Number.POSITIVE_INFINITY };
