/**
 * A request budget: at most N requests in any sliding minute, because REDCap bans the calling IP
 * (until an admin lifts it) once it goes over its page-hit threshold — 600 a minute by default.
 * It is a token bucket whose tokens come back one minute after they were spent: a bucket refilled at a
 * steady rate would let a full burst plus a minute's refill through in one minute, twice the threshold.
 * Callers over budget wait for a token; nothing is dropped.
 */
import { realSleep, systemClock, type Clock, type Sleep } from './timing.js';

export const REDCAP_DEFAULT_REQUESTS_PER_MINUTE = 600;
const WINDOW_MS = 60_000;

export interface RequestBudget {
  /** Resolves when a request may be sent now, having counted it. */
  acquire(): Promise<void>;
}

export interface RequestBudgetOptions {
  requestsPerMinute?: number;
  clock?: Clock;
  sleep?: Sleep;
}

export function createRequestBudget(options: RequestBudgetOptions = {}): RequestBudget {
  const limit = options.requestsPerMinute ?? REDCAP_DEFAULT_REQUESTS_PER_MINUTE;
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError('requestsPerMinute must be a positive integer');
  const clock = options.clock ?? systemClock;
  const sleep = options.sleep ?? realSleep;
  /** When each of the last `limit` requests was sent, oldest first. */
  const spent: number[] = [];

  const waitBeforeNext = (now: number): number => {
    while (spent.length > 0 && (spent[0] ?? now) <= now - WINDOW_MS) spent.shift();
    if (spent.length < limit) return 0;
    return (spent[0] ?? now) + WINDOW_MS - now;
  };

  return {
    async acquire() {
      // Check and count without an await in between, so concurrent callers cannot both take the last token.
      for (let wait = waitBeforeNext(clock()); wait > 0; wait = waitBeforeNext(clock())) await sleep(wait);
      spent.push(clock());
    },
  };
}
