import { TokenBucket } from '../../policies/token-bucket.js';
import type { PaceGrant, SenderPace, SenderRate } from '../../ports/storage/sender-pace.js';

/**
 * The senders' rates in this process's memory, on the caller's clock: right where one process owns the
 * database (SQLite), so its dispatcher is the only one sending (decision 0059). A sender whose rate changes
 * starts a new bucket.
 */
export class InProcessSenderPace implements SenderPace {
  private readonly buckets = new Map<string, { rate: SenderRate; bucket: TokenBucket }>();

  async reserve(sender: string, rate: SenderRate, wanted: number, now: Date): Promise<PaceGrant> {
    const bucket = this.bucketOf(sender, rate, now);
    const granted = bucket.take(wanted, now.getTime());
    return { granted, waitMs: bucket.waitMs(now.getTime()), reservedAt: now.toISOString() };
  }

  async giveBack(sender: string, rate: SenderRate, unused: number, reservedAt: string, now: Date): Promise<void> {
    this.bucketOf(sender, rate, now).giveBack(unused, Date.parse(reservedAt), now.getTime());
  }

  private bucketOf(sender: string, rate: SenderRate, now: Date): TokenBucket {
    const kept = this.buckets.get(sender);
    if (kept !== undefined && kept.rate.perSecond === rate.perSecond && kept.rate.capacity === rate.capacity) return kept.bucket;
    const bucket = new TokenBucket(rate.perSecond, now.getTime(), rate.capacity);
    this.buckets.set(sender, { rate, bucket });
    return bucket;
  }
}
