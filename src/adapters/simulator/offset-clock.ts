import type { Clock } from '../../ports/clock.js';

/**
 * The demo's clock: the system clock plus an offset that only grows. "Advance the clock" in the
 * simulator moves the offset, so reminders and expiry fire without waiting, while time still flows.
 */
export class OffsetClock implements Clock {
  private offsetMs: number;

  constructor(private readonly base: Clock, offsetMs = 0) {
    this.offsetMs = offsetMs;
  }

  now(): Date {
    return new Date(this.base.now().getTime() + this.offsetMs);
  }

  advance(ms: number): Date {
    if (!(ms >= 0)) throw new RangeError('the clock only moves forward');
    this.offsetMs += ms;
    return this.now();
  }

  offset(): number {
    return this.offsetMs;
  }
}
