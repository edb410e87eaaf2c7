/**
 * Failures the emulator can be told to produce, so retry and timeout code is tested against a real
 * socket: answer 500, never answer (the client times out), or drop the connection.
 */

export type FaultMode = '500' | 'timeout' | 'refuse';

export class FaultPlan {
  private readonly queued: FaultMode[] = [];
  private stallMs = 0;

  /** The next `count` requests fail this way, before the token is even looked at (REDCap is down). */
  failNext(count: number, mode: FaultMode = '500'): void {
    if (!Number.isInteger(count) || count < 0) throw new RangeError('failNext needs a whole number of requests');
    for (let i = 0; i < count; i += 1) this.queued.push(mode);
  }

  /** Every request waits this long before it is answered, until stalled again with 0. */
  stall(ms: number): void {
    if (!(ms >= 0)) throw new RangeError('stall needs a delay of 0 ms or more');
    this.stallMs = ms;
  }

  get delayMs(): number {
    return this.stallMs;
  }

  /** The fault this request suffers, if any, counting it as used. */
  take(): FaultMode | undefined {
    return this.queued.shift();
  }
}
