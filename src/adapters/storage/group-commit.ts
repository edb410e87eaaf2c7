import type { SqliteStore } from './sqlite-store.js';
import type { UnitOfWork } from '../../ports/storage/conversation-store.js';
import type { SharedCommit } from '../../ports/storage/shared-commit.js';

/**
 * Group commit: the units of work that arrive in one event-loop turn share one transaction, so one
 * fsync (synchronous=FULL) makes all of them durable instead of one fsync each. A unit that rejects is
 * rolled back alone and its caller alone gets the error. A caller's promise settles only after the
 * shared COMMIT, so nothing is acknowledged — and no reply is sent — before it is on disk.
 *
 * The units run one after another, each to its end, while the batch holds the connection's gate, so no
 * other statement lands in the open transaction between their awaits. Units rarely fail, so a turn's
 * units first run together without savepoints; only if one of them fails is that attempt rolled back
 * and the turn run again with each unit in its own savepoint, which gives the failing unit alone its error.
 */
export function createGroupCommit<I, O>(store: SqliteStore, unit: (tx: UnitOfWork, input: I) => Promise<O>): (input: I) => Promise<O> {
  let batch: Pending<I, O>[] = [];

  async function flush(): Promise<void> {
    const units = batch;
    batch = [];
    let outcomes: Outcome<O>[];
    try {
      outcomes = await store.gate.exclusive(async () => (await allTogether(store, unit, units)) ?? inSavepoints(store, unit, units));
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
 * One group commit for any unit of work on the database: the inbound texts and the background loops'
 * writes of the same turn share a transaction and its fsync. Each work runs as a nested unit of it.
 */
export function createSharedCommit(store: SqliteStore): SharedCommit {
  return createGroupCommit(store, (tx, work: (tx: UnitOfWork) => Promise<unknown>) => tx.transaction(work)) as SharedCommit;
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
async function allTogether<I, O>(
  store: SqliteStore, unit: (tx: UnitOfWork, input: I) => Promise<O>, units: readonly Pending<I, O>[],
): Promise<Outcome<O>[] | undefined> {
  const tx = store.unit;
  try {
    return await tx.outermost(async () => {
      const run = await tx.write.withoutSavepoints(async () => {
        const outcomes: Outcome<O>[] = [];
        for (const { input } of units) outcomes.push({ ok: true, value: await failing(unit, tx, input) });
        return outcomes;
      });
      if (run.nestedFailed) throw new UnitFailed();
      return run.value;
    });
  } catch (error) {
    if (error instanceof UnitFailed) return undefined;
    throw error;
  }
}

async function failing<I, O>(unit: (tx: UnitOfWork, input: I) => Promise<O>, tx: UnitOfWork, input: I): Promise<O> {
  try {
    return await unit(tx, input);
  } catch {
    throw new UnitFailed();
  }
}

/** Every unit in its own savepoint of one transaction: a failing one is rolled back alone. */
function inSavepoints<I, O>(store: SqliteStore, unit: (tx: UnitOfWork, input: I) => Promise<O>, units: readonly Pending<I, O>[]): Promise<Outcome<O>[]> {
  return store.unit.outermost(async (tx) => {
    const outcomes: Outcome<O>[] = [];
    for (const { input } of units) {
      try {
        outcomes.push({ ok: true, value: await tx.transaction((nested) => unit(nested, input)) });
      } catch (error) {
        outcomes.push({ ok: false, error });
      }
    }
    return outcomes;
  });
}
