import type { Database } from 'better-sqlite3';

/** Runs `work` as one write transaction (BEGIN IMMEDIATE), or as a savepoint inside one; rolls back if it throws. */
export type WriteTransaction = <T>(work: () => T) => T;

/**
 * better-sqlite3 builds four wrapper functions on every `db.transaction()` call, which showed in the
 * inbound path's profile; one wrapper made here serves every unit of work on this database.
 */
export function writeTransaction(db: Database): WriteTransaction {
  const immediate = db.transaction((work: () => unknown) => work()).immediate;
  return <T>(work: () => T) => immediate(work) as T;
}
