/**
 * A sender's rate (a Messaging Service, a number, or a project), shared by everything that sends through it
 * (decision 0059): the dispatcher reserves its round's texts here, once per round, and gives back what it did
 * not use. A backend shared by several instances keeps one bucket per sender for all of them, on its own clock;
 * SQLite (one process owns the file) keeps it in memory. Each call is its own transaction.
 */

/** A sender's rate: `perSecond` texts a second on average, at most `capacity` at once. */
export interface SenderRate {
  readonly perSecond: number;
  readonly capacity: number;
}

export interface PaceGrant {
  /** How many texts the caller may hand to the provider now (each within the dispatcher's use-by, decision 0059). */
  readonly granted: number;
  /** Milliseconds until the next slot comes free: 0 when more are free now. */
  readonly waitMs: number;
  /** When the reservation was made, on the pace's own clock (the database's for a shared one): for `giveBack`. */
  readonly reservedAt: string;
}

export interface SenderPace {
  /**
   * Takes up to `wanted` of the slots free now. `now` is the caller's clock: an in-process pace reads it, a
   * shared one reads the database's (instances' clocks differ).
   */
  reserve(sender: string, rate: SenderRate, wanted: number, now: Date): Promise<PaceGrant>;
  /**
   * Returns slots reserved at `reservedAt` and not used (no text was handed to the provider for them), less what
   * the bucket has refilled since: the sender never gets more than if they had never been taken (decision 0059).
   */
  giveBack(sender: string, rate: SenderRate, unused: number, reservedAt: string, now: Date): Promise<void>;
}
