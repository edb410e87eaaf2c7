/**
 * Retries a REDCap call that failed for reasons outside the request (5xx, network, timeout) with
 * exponential backoff. A 4xx is the request's own fault and is returned at once: repeating it cannot
 * help and only spends the IP's hit budget.
 */
import { isRedcapError } from '../../ports/redcap/errors.js';
import type { Sleep } from './timing.js';

export interface RetryPolicy {
  /** Extra attempts after the first. */
  retries: number;
  /** Delay before the first retry; doubles each time. */
  backoffMs: number;
  maxBackoffMs: number;
  sleep: Sleep;
}

export const DEFAULT_RETRY = { retries: 3, backoffMs: 500, maxBackoffMs: 30_000 } as const;

export const backoffDelay = (policy: RetryPolicy, retry: number): number =>
  Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** retry);

export async function withRetry<T>(policy: RetryPolicy, attempt: () => Promise<T>): Promise<T> {
  for (let retry = 0; ; retry += 1) {
    try {
      return await attempt();
    } catch (error) {
      const retryable = isRedcapError(error) && error.retryable;
      if (!retryable || retry >= policy.retries) throw error;
      await policy.sleep(backoffDelay(policy, retry));
    }
  }
}
