/** The only source of "now" for the application; tests and replay drive a fake one. */
export interface Clock {
  now(): Date;
}

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

/** Ids for new conversations; sequential and predictable in tests and replay. */
export type IdGenerator = () => string;

export function sequentialIds(prefix = 'c'): IdGenerator {
  let next = 0;
  return () => `${prefix}${String(++next).padStart(4, '0')}`;
}
