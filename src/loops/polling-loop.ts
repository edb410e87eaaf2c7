import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';

/**
 * A background worker that runs `tick` again and again until stopped: sleeps `idleMs` between
 * rounds, wakes early on `nudge`, and survives a failing round (the rows are still there next time).
 */
export interface PollingLoop {
  start(): void;
  /** Wakes a sleeping loop (new rows were committed). */
  nudge(): void;
  /** Stops after the round in progress, if any. */
  stop(): Promise<void>;
  /** When the loop last went round; readiness checks that it is alive. */
  lastBeat(): Date | undefined;
}

export interface PollingLoopOptions {
  name: string;
  clock: Clock;
  logger: Logger;
  idleMs: number;
  /**
   * The least time between the end of one round and the start of the next, nudged or not. Under load a
   * nudge comes with every text; a gap lets one round take the work of many (one REDCap import, not one each).
   */
  minGapMs?: number | undefined;
  /** One round; resolving true means more work is waiting, so the next round starts without the idle rest. */
  tick: () => Promise<unknown>;
}

export function createPollingLoop(options: PollingLoopOptions): PollingLoop {
  const minGapMs = Math.min(options.minGapMs ?? 0, options.idleMs);
  const loop = {
    stopping: false, running: undefined as Promise<void> | undefined, beat: undefined as Date | undefined,
    // A nudge during a round is kept, so the rows it announced are not left waiting a whole idle period.
    nudged: false, wake: () => {},
  };

  async function run(): Promise<void> {
    while (!loop.stopping) {
      loop.beat = options.clock.now();
      loop.nudged = false;
      try {
        if ((await options.tick()) === true) loop.nudged = true;
      } catch (error) {
        options.logger.error({ err: error, worker: options.name }, 'background round failed; retrying');
      }
      await rest();
    }
  }

  async function rest(): Promise<void> {
    if (minGapMs > 0 && !loop.stopping) await sleep(minGapMs, false);
    if (!loop.nudged && !loop.stopping) await sleep(options.idleMs - minGapMs, true);
  }

  function sleep(ms: number, nudgeable: boolean): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        loop.wake = () => {};
        resolve();
      }
      loop.wake = () => {
        if (nudgeable || loop.stopping) done();
      };
    });
  }

  return {
    start() {
      loop.stopping = false;
      loop.running ??= run().finally(() => (loop.running = undefined));
    },
    nudge: () => {
      loop.nudged = true;
      loop.wake();
    },
    async stop() {
      loop.stopping = true;
      loop.wake();
      await loop.running;
    },
    lastBeat: () => loop.beat,
  };
}

/**
 * A loop's round that can ask for the next rounds to be skipped for a while. A round that could make no
 * progress (every text held by its sender's rate, REDCap down) would otherwise run again at every
 * nudge, and under load a nudge comes with every inbound text. `restMs` reads the round's report: how
 * long to skip rounds from now, or 0 to run again as usual.
 */
export function skippingRounds<R>(
  clock: Clock, runOnce: () => Promise<R>, restMs: (report: R) => number, goOn: (report: R) => boolean = () => false,
): () => Promise<boolean> {
  let restUntil = 0;
  return async () => {
    if (clock.now().getTime() < restUntil) return false;
    const report = await runOnce();
    const rest = restMs(report);
    restUntil = rest > 0 ? clock.now().getTime() + rest : 0;
    return goOn(report);
  };
}
