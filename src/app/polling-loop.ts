import type { Clock } from '../adapters/clock.js';
import type { Logger } from '../adapters/logging/logger.js';

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
  tick: () => Promise<void>;
}

export function createPollingLoop(options: PollingLoopOptions): PollingLoop {
  const loop = { stopping: false, running: undefined as Promise<void> | undefined, wake: () => {}, beat: undefined as Date | undefined };

  async function run(): Promise<void> {
    while (!loop.stopping) {
      loop.beat = options.clock.now();
      try {
        await options.tick();
      } catch (error) {
        options.logger.error({ err: error, worker: options.name }, 'background round failed; retrying');
      }
      if (!loop.stopping) await sleep(options.idleMs);
    }
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      loop.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  return {
    start() {
      loop.stopping = false;
      loop.running ??= run().finally(() => (loop.running = undefined));
    },
    nudge: () => loop.wake(),
    async stop() {
      loop.stopping = true;
      loop.wake();
      await loop.running;
    },
    lastBeat: () => loop.beat,
  };
}
