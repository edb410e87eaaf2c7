import type { Clock, IdGenerator } from '../ports/clock.js';

export type { Clock, IdGenerator } from '../ports/clock.js';

export const systemClock: Clock = { now: () => new Date() };

/** A clock that moves only when told to. */
export class FakeClock implements Clock {
  private current: number;

  constructor(start: Date | string) {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(at: Date | string): void {
    this.current = new Date(at).getTime();
  }

  advance(ms: number): Date {
    this.current += ms;
    return this.now();
  }
}

export function sequentialIds(prefix = 'c'): IdGenerator {
  let next = 0;
  return () => `${prefix}${String(++next).padStart(4, '0')}`;
}
