import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { FakeClock, systemClock } from '../../src/adapters/clock.js';
import { createLogger } from '../../src/adapters/logging/logger.js';
import { createPollingLoop, skippingRounds, type PollingLoop } from '../../src/loops/polling-loop.js';

const logger = createLogger({ level: 'silent' });

/** A loop whose rounds are counted, and whose first round can be held open until `finishRound()`. */
function countingLoop(options: { idleMs: number; minGapMs?: number; holdFirstRound?: boolean }) {
  let rounds = 0;
  let finishRound = () => {};
  const loop = createPollingLoop({
    name: 'test', clock: systemClock, logger, idleMs: options.idleMs, minGapMs: options.minGapMs,
    tick: async () => {
      rounds += 1;
      if (options.holdFirstRound === true && rounds === 1) await new Promise<void>((resolve) => (finishRound = resolve));
    },
  });
  return { loop, rounds: () => rounds, finishRound: () => finishRound() };
}

let running: PollingLoop | undefined;
beforeEach(() => void vi.useFakeTimers());
afterEach(async () => {
  const stopped = running?.stop();
  await vi.runAllTimersAsync();
  await stopped;
  running = undefined;
  vi.useRealTimers();
});

describe('the polling loop behind the dispatcher, the timers and the REDCap workers', () => {
  test('when a round says more work is waiting, then the next starts without the idle rest, and the rest returns once it says none is', async () => {
    let rounds = 0;
    const loop = createPollingLoop({ name: 'test', clock: systemClock, logger, idleMs: 1_000, tick: async () => ++rounds < 4 });
    running = loop;
    loop.start();
    await vi.advanceTimersByTimeAsync(10);
    expect(rounds).toBe(4);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(rounds).toBe(5);
  });

  test('when nothing nudges it, then it goes round once per idle period', async () => {
    const { loop, rounds } = countingLoop({ idleMs: 1_000 });
    running = loop;
    loop.start();
    await vi.advanceTimersByTimeAsync(2_500);
    expect(rounds()).toBe(3);
  });

  test('when nudged while sleeping, then the next round starts at once', async () => {
    const { loop, rounds } = countingLoop({ idleMs: 1_000 });
    running = loop;
    loop.start();
    await vi.advanceTimersByTimeAsync(10);
    loop.nudge();
    await vi.advanceTimersByTimeAsync(0);
    expect(rounds()).toBe(2);
  });

  test('when nudged during a round, then the nudge is kept and the next round follows without the idle wait', async () => {
    const { loop, rounds, finishRound } = countingLoop({ idleMs: 60_000, holdFirstRound: true });
    running = loop;
    loop.start();
    await vi.advanceTimersByTimeAsync(0);
    loop.nudge();
    finishRound();
    await vi.advanceTimersByTimeAsync(0);
    expect(rounds()).toBe(2);
  });

  test('when nudged again and again with a minimum gap, then rounds start no more often than the gap', async () => {
    const { loop, rounds } = countingLoop({ idleMs: 1_000, minGapMs: 100 });
    running = loop;
    loop.start();
    for (let ms = 0; ms < 1_000; ms += 10) {
      loop.nudge();
      await vi.advanceTimersByTimeAsync(10);
    }
    expect(rounds()).toBeGreaterThanOrEqual(9);
    expect(rounds()).toBeLessThanOrEqual(11);
  });

  test('when stopped during the minimum gap, then it stops at once rather than after the gap', async () => {
    const { loop } = countingLoop({ idleMs: 60_000, minGapMs: 30_000 });
    loop.start();
    await vi.advanceTimersByTimeAsync(0);
    let stopped = false;
    const stopping = loop.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(true);
    await stopping;
  });
});

describe('rounds that ask to rest', () => {
  test.each([
    { when: 'a round asks to rest 2 s', rests: [2_000, 0], times: [0, 1_000, 1_999, 2_000, 2_001], ran: [true, false, false, true, true] },
    { when: 'a round asks for no rest', rests: [0, 0], times: [0, 1, 2], ran: [true, true, true] },
  ])('when $when, then the rounds inside the rest are skipped and the first after it runs', async ({ rests, times, ran }) => {
    const clock = new FakeClock('2026-03-02T15:00:00Z');
    const start = clock.now().getTime();
    let runs = 0;
    const round = skippingRounds(clock, async () => rests[Math.min(runs++, rests.length - 1)]!, (rest) => rest);
    const observed: boolean[] = [];
    for (const at of times) {
      clock.set(new Date(start + at));
      const before = runs;
      await round();
      observed.push(runs > before);
    }
    expect(observed).toEqual(ran);
  });
});
