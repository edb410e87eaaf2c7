import type { SenderRate } from '../ports/storage/sender-pace.js';

/**
 * A sender's rate as configured: `ratePerSecond` on average, and a burst of at most its whole part, so a long
 * code at 1/s never sends two texts at once (what carriers expect of one).
 */
export function senderRate(ratePerSecond: number): SenderRate {
  return { perSecond: ratePerSecond, capacity: Math.max(1, Math.floor(ratePerSecond)) };
}

/** A give-back's refill and discount cancel, up to the floating point's rounding: whole tokens are counted with this slack. */
const ROUNDING = 1e-9;

/** What a give-back returns: the unused tokens less the refill of the time they were out (never below 0). */
export function returnedTokens(unused: number, ratePerSecond: number, outForMs: number): number {
  return Math.max(0, unused - (ratePerSecond * Math.max(0, outForMs)) / 1000);
}

/**
 * A token bucket on an injected clock: `ratePerSecond` tokens a second, at most `capacity` saved up.
 * With capacity 1 a sender never bursts, which is what carriers expect of a long code (1 msg/s).
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly ratePerSecond: number,
    nowMs: number,
    private readonly capacity = senderRate(ratePerSecond).capacity,
  ) {
    this.tokens = capacity;
    this.updatedAt = nowMs;
  }

  /** Takes a token if one is available at `nowMs`. */
  tryTake(nowMs: number): boolean {
    return this.take(1, nowMs) === 1;
  }

  /** Takes up to `wanted` whole tokens available at `nowMs`; returns how many it took. */
  take(wanted: number, nowMs: number): number {
    this.refill(nowMs);
    const taken = Math.max(0, Math.min(wanted, Math.floor(this.tokens + ROUNDING)));
    this.tokens -= taken;
    return taken;
  }

  /**
   * Puts back tokens taken at `takenAtMs` and not used, less what the bucket refilled since then: while they
   * were out the bucket may have refilled where, full, it would not have, and returning them whole could let it
   * grant more than `capacity + rate × W` in a window (decision 0059).
   */
  giveBack(unused: number, takenAtMs: number, nowMs: number): void {
    this.refill(nowMs);
    const returned = returnedTokens(unused, this.ratePerSecond, nowMs - takenAtMs);
    this.tokens = Math.min(this.capacity, this.tokens + returned);
  }

  /** How many whole tokens could be taken at `nowMs`. */
  available(nowMs: number): number {
    this.refill(nowMs);
    return Math.floor(this.tokens + ROUNDING);
  }

  /** Milliseconds until a token is available (0 when one is). */
  waitMs(nowMs: number): number {
    this.refill(nowMs);
    return this.tokens + ROUNDING >= 1 ? 0 : Math.ceil(((1 - this.tokens) * 1000) / this.ratePerSecond);
  }

  private refill(nowMs: number): void {
    const elapsed = Math.max(0, nowMs - this.updatedAt);
    this.tokens = Math.min(this.capacity, this.tokens + (elapsed * this.ratePerSecond) / 1000);
    this.updatedAt = Math.max(this.updatedAt, nowMs);
  }
}
