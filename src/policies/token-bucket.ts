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
    private readonly capacity = Math.max(1, Math.floor(ratePerSecond)),
  ) {
    this.tokens = capacity;
    this.updatedAt = nowMs;
  }

  /** Takes a token if one is available at `nowMs`. */
  tryTake(nowMs: number): boolean {
    this.refill(nowMs);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** How many whole tokens could be taken at `nowMs`. */
  available(nowMs: number): number {
    this.refill(nowMs);
    return Math.floor(this.tokens);
  }

  /** Milliseconds until a token is available (0 when one is). */
  waitMs(nowMs: number): number {
    this.refill(nowMs);
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) * 1000) / this.ratePerSecond);
  }

  private refill(nowMs: number): void {
    const elapsed = Math.max(0, nowMs - this.updatedAt);
    this.tokens = Math.min(this.capacity, this.tokens + (elapsed * this.ratePerSecond) / 1000);
    this.updatedAt = Math.max(this.updatedAt, nowMs);
  }
}
