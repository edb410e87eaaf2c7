import type { Database } from 'better-sqlite3';

/**
 * One connection, one open transaction at a time. A unit of work holds its transaction open across its
 * awaits (the ports are asynchronous), and any statement run on the connection meanwhile would land in it
 * and commit or roll back with it. So every store of a connection goes through its gate: a unit runs
 * `exclusive`ly, and a statement of anyone else waits until the unit has ended. Inside a unit, its own
 * handle (`tx`) does not pass the gate. When no unit is open the gate costs one check.
 */
export class DatabaseGate {
  private open = false;
  private waiting: (() => void)[] = [];

  /** Runs `op` now when no unit is open, else once the open ones have ended. */
  run<T>(op: () => T | Promise<T>): Promise<T> {
    if (this.open) return this.afterUnits().then(() => this.run(op));
    try {
      return Promise.resolve(op());
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  /** Runs `unit` with the connection to itself until it settles; others' statements and units wait. */
  async exclusive<T>(unit: () => Promise<T>): Promise<T> {
    while (this.open) await this.afterUnits();
    this.open = true;
    try {
      return await unit();
    } finally {
      this.open = false;
      const woken = this.waiting;
      this.waiting = [];
      // In the order they came: each checks again, and the first unit among them takes the gate.
      for (const wake of woken) wake();
    }
  }

  private afterUnits(): Promise<void> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }
}

const gates = new WeakMap<Database, DatabaseGate>();

/** The gate of a connection, shared by every store built on it. */
export function gateOf(db: Database): DatabaseGate {
  let gate = gates.get(db);
  if (gate === undefined) {
    gate = new DatabaseGate();
    gates.set(db, gate);
  }
  return gate;
}
