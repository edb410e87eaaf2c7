import type { SqliteStore } from './index.js';
import type { SharedCommit } from '../../ports/storage/shared-commit.js';

/**
 * Group commit: the units of work that arrive in one event-loop turn share one transaction, so one
 * fsync (synchronous=FULL) makes all of them durable instead of one fsync each. A unit that throws is
 * rolled back alone and its caller alone gets the error. A caller's promise settles only after the
 * shared COMMIT, so nothing is acknowledged — and no reply is sent — before it is on disk.
 *
 * Units rarely fail, so a turn's units first run together without savepoints; only if one of them
 * fails is that attempt rolled back and the turn run again with each unit in its own savepoint
 * (better-sqlite3 turns a nested transaction into one), which gives the failing unit alone its error.
 */
export function createGroupCommit<I, O>(store: SqliteStore, unit: (input: I) => O): (input: I) => Promise<O> {
  let batch: Pending<I, O>[] = [];

  function flush(): void {
    const units = batch;
    batch = [];
    let outcomes: Outcome<O>[];
    try {
      outcomes = allTogether(store, unit, units) ?? store.transaction(() => units.map(({ input }) => runInSavepoint(store, unit, input)));
    } catch (error) {
      // The COMMIT itself failed (disk full, I/O error): nothing of the batch is stored.
      for (const pending of units) pending.reject(error);
      return;
    }
    units.forEach((pending, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) pending.resolve(outcome.value);
      else pending.reject(outcome.error);
    });
  }

  return (input) =>
    new Promise<O>((resolve, reject) => {
      if (batch.length === 0) setImmediate(flush);
      batch.push({ input, resolve, reject });
    });
}

/**
 * One group commit for any work on the database: the inbound texts and the background loops' writes of
 * the same turn share a transaction and its fsync.
 */
export function createSharedCommit(store: SqliteStore): SharedCommit {
  return createGroupCommit(store, (work: () => unknown) => work()) as SharedCommit;
}

interface Pending<I, O> {
  input: I;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

type Outcome<O> = { ok: true; value: O } | { ok: false; error: unknown };

/** Thrown to roll back a turn run without savepoints in which a unit failed. */
class UnitFailed extends Error {}

/** Every unit in one transaction without savepoints; undefined, with nothing stored, if any unit failed. */
function allTogether<I, O>(store: SqliteStore, unit: (input: I) => O, units: readonly Pending<I, O>[]): Outcome<O>[] | undefined {
  try {
    return store.transaction(() => {
      const run = store.withoutSavepoints(() => units.map(({ input }) => ({ ok: true as const, value: failing(unit, input) })));
      if (run.nestedFailed) throw new UnitFailed();
      return run.value;
    });
  } catch (error) {
    if (error instanceof UnitFailed) return undefined;
    throw error;
  }
}

function failing<I, O>(unit: (input: I) => O, input: I): O {
  try {
    return unit(input);
  } catch {
    throw new UnitFailed();
  }
}

function runInSavepoint<I, O>(store: SqliteStore, unit: (input: I) => O, input: I): Outcome<O> {
  try {
    return { ok: true, value: store.transaction(() => unit(input)) };
  } catch (error) {
    return { ok: false, error };
  }
}
