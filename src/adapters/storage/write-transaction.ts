import type { Database } from 'better-sqlite3';

/** Runs `work` as one write transaction (BEGIN IMMEDIATE), or as a savepoint inside one; rolls back if it throws. */
export type WriteTransaction = <T>(work: () => T) => T;

/** Databases whose nested transactions currently open no savepoint (see `withoutSavepoints`). */
const flatDatabases = new WeakMap<Database, { nestedFailed: boolean }>();

/**
 * better-sqlite3 builds four wrapper functions on every `db.transaction()` call, which showed in the
 * inbound path's profile; one wrapper made here serves every unit of work on this database.
 */
export function writeTransaction(db: Database): WriteTransaction {
  const immediate = db.transaction((work: () => unknown) => work()).immediate;
  return <T>(work: () => T) => {
    const flat = flatDatabases.get(db);
    return flat === undefined ? immediate(work) as T : runFlat(flat, work);
  };
}

function runFlat<T>(flat: { nestedFailed: boolean }, work: () => T): T {
  try {
    return work();
  } catch (error) {
    flat.nestedFailed = true;
    throw error;
  }
}

/**
 * Runs `work` inside the open transaction with every nested transaction running without a savepoint of
 * its own: a savepoint costs statements and a copy of every page it touches. `nestedFailed` is true when
 * a nested transaction threw, even if `work` caught it: nothing undid its writes, so the caller must roll
 * the whole transaction back.
 */
export function withoutSavepoints<T>(db: Database, work: () => T): { value: T; nestedFailed: boolean } {
  if (!db.inTransaction) throw new Error('withoutSavepoints runs inside a transaction');
  const flat = { nestedFailed: false };
  flatDatabases.set(db, flat);
  try {
    return { value: work(), nestedFailed: flat.nestedFailed };
  } finally {
    flatDatabases.delete(db);
  }
}
