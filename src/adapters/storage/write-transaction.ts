import type { Database, Statement } from 'better-sqlite3';

/**
 * The write transaction of one connection, opened and closed by hand: better-sqlite3's `db.transaction()`
 * runs a synchronous function only, and a unit of work awaits its reads. BEGIN IMMEDIATE takes the write
 * lock at once; a nested unit is a savepoint, unless the open transaction runs `withoutSavepoints`.
 * The connection's gate (database-gate.ts) keeps everyone else out while it is open.
 */
export class WriteTransaction {
  /** How many units are open, the outermost included. */
  depth = 0;
  /** Set while nested units open no savepoint (see `withoutSavepoints`). */
  private flat: { nestedFailed: boolean } | undefined;
  private readonly sql: Record<'begin' | 'commit' | 'rollback' | 'savepoint' | 'release' | 'rollbackTo', Statement>;

  constructor(private readonly db: Database) {
    this.sql = {
      begin: db.prepare('BEGIN IMMEDIATE'),
      commit: db.prepare('COMMIT'),
      rollback: db.prepare('ROLLBACK'),
      savepoint: db.prepare('SAVEPOINT unit'),
      release: db.prepare('RELEASE unit'),
      rollbackTo: db.prepare('ROLLBACK TO unit'),
    };
  }

  /** True when a nested unit opened now would get a savepoint of its own (and so can be rolled back alone). */
  get savepoints(): boolean {
    return this.depth > 0 && this.flat === undefined;
  }

  /** BEGIN IMMEDIATE, `work`, then `beforeCommit` and COMMIT; ROLLBACK if any of it fails. */
  async outermost<T>(work: () => Promise<T>, beforeCommit: () => void): Promise<T> {
    if (this.depth > 0) throw new Error('a unit of work is already open on this connection');
    this.sql.begin.run();
    this.depth = 1;
    try {
      const value = await work();
      beforeCommit();
      this.sql.commit.run();
      return value;
    } catch (error) {
      if (this.db.inTransaction) this.sql.rollback.run();
      throw error;
    } finally {
      this.depth = 0;
    }
  }

  /** A savepoint inside the open transaction; rolled back alone (and `undo` called) if `work` rejects. */
  async nested<T>(work: () => Promise<T>, undo: () => void): Promise<T> {
    if (this.depth === 0) throw new Error('this unit of work has ended: its handle cannot be used any more');
    if (this.flat !== undefined) return this.nestedFlat(this.flat, work);
    this.sql.savepoint.run();
    this.depth += 1;
    try {
      const value = await work();
      this.sql.release.run();
      return value;
    } catch (error) {
      this.sql.rollbackTo.run();
      this.sql.release.run();
      undo();
      throw error;
    } finally {
      this.depth -= 1;
    }
  }

  /**
   * Runs `work` inside the open transaction with every nested unit running without a savepoint of its
   * own: a savepoint costs statements and a copy of every page it touches. `nestedFailed` is true when a
   * nested unit rejected, even if `work` caught it: nothing undid its writes, so the caller must roll the
   * whole transaction back.
   */
  async withoutSavepoints<T>(work: () => Promise<T>): Promise<{ value: T; nestedFailed: boolean }> {
    if (this.depth === 0) throw new Error('withoutSavepoints runs inside a transaction');
    const flat = { nestedFailed: false };
    this.flat = flat;
    try {
      return { value: await work(), nestedFailed: flat.nestedFailed };
    } finally {
      this.flat = undefined;
    }
  }

  private async nestedFlat<T>(flat: { nestedFailed: boolean }, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      flat.nestedFailed = true;
      throw error;
    }
  }
}
