import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { systemClock } from '../../src/adapters/clock.js';
import { createLogger } from '../../src/adapters/logging/logger.js';
import { createPollingLoop, type PollingLoop } from '../../src/app/polling-loop.js';

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
