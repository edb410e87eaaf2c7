import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequestBudget } from '../../src/adapters/redcap/index.js';
import { simpleProject, startEmulator, type Harness } from './support.js';

/**
 * A fake timeline: time moves only when everyone is asleep, jumping to the earliest wake-up, so
 * concurrent sleepers share one clock as they would in real time. Every sleep is logged.
 */
function fakeTime() {
  let now = 0;
  const sleeps: number[] = [];
  const sleepers: { at: number; wake: () => void }[] = [];
  const wakeEarliest = () => {
    sleepers.sort((a, b) => a.at - b.at);
    const next = sleepers.shift();
    if (!next) return;
    now = Math.max(now, next.at);
    next.wake();
  };
  return {
    clock: () => now,
    sleep: (ms: number) => new Promise<void>((wake) => {
      sleeps.push(ms);
      sleepers.push({ at: now + ms, wake });
      setImmediate(wakeEarliest);
    }),
    advance: (ms: number) => void (now += ms),
    sleeps,
  };
}

/** The most requests sent inside any one minute. */
const busiestMinute = (times: readonly number[]): number =>
  Math.max(0, ...times.map((start) => times.filter((t) => t >= start && t < start + 60_000).length));

describe('request budget', () => {
  it.each([
    { limit: 3, requests: 3, waits: [] },
    { limit: 3, requests: 4, waits: [60_000] },
    { limit: 3, requests: 7, waits: [60_000, 60_000] },
    { limit: 1, requests: 3, waits: [60_000, 60_000] },
  ])('when $requests requests are made at once under a limit of $limit a minute, then they wait $waits', async ({ limit, requests, waits }) => {
    const time = fakeTime();
    const budget = createRequestBudget({ requestsPerMinute: limit, clock: time.clock, sleep: time.sleep });
    const sent: number[] = [];
    for (let i = 0; i < requests; i += 1) {
      await budget.acquire();
      sent.push(time.clock());
    }
    expect(time.sleeps).toEqual(waits);
    expect(busiestMinute(sent)).toBeLessThanOrEqual(limit);
  });

  it('when requests are spread out, then a token comes back exactly one minute after it was spent', async () => {
    const time = fakeTime();
    const budget = createRequestBudget({ requestsPerMinute: 2, clock: time.clock, sleep: time.sleep });
    await budget.acquire();
    time.advance(30_000);
    await budget.acquire();
    await budget.acquire();
    expect(time.sleeps).toEqual([30_000]);
  });

  it('when many callers ask at the same moment, then no more than the limit go out in any minute', async () => {
    const time = fakeTime();
    const budget = createRequestBudget({ requestsPerMinute: 5, clock: time.clock, sleep: time.sleep });
    const sent: number[] = [];
    await Promise.all(Array.from({ length: 12 }, async () => {
      await budget.acquire();
      sent.push(time.clock());
    }));
    expect(sent).toHaveLength(12);
    expect(busiestMinute(sent)).toBeLessThanOrEqual(5);
    expect(Math.max(...sent)).toBe(120_000);
  });

  it.each([0, -1, 2.5])('when the limit is %s, then the budget is refused', (limit) => {
    expect(() => createRequestBudget({ requestsPerMinute: limit })).toThrow(RangeError);
  });
});

describe('REDCap client under a request budget', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startEmulator([simpleProject()]);
  });
  afterAll(() => harness.close());

  it('when a client makes more calls than its budget allows, then it waits instead of exceeding it', async () => {
    const time = fakeTime();
    const client = harness.client({ budget: { requestsPerMinute: 3 }, clock: time.clock, sleep: time.sleep });
    for (let i = 0; i < 5; i += 1) await client.exportVersion();
    expect(time.sleeps).toEqual([60_000]);
    expect(harness.emulator.state.requests).toHaveLength(5);
  });

  it('when two clients share one budget, then together they stay within it', async () => {
    const time = fakeTime();
    const budget = createRequestBudget({ requestsPerMinute: 2, clock: time.clock, sleep: time.sleep });
    const first = harness.client({ budget, sleep: time.sleep });
    const second = harness.client({ budget, sleep: time.sleep });
    await Promise.all([first.exportVersion(), second.exportVersion(), first.exportVersion()]);
    expect(time.sleeps).toEqual([60_000]);
  });
});
