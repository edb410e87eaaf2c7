/**
 * Online backup and offline restore of the service's SQLite database (decision 0031). Every file either
 * appears whole or not at all: the copy is written to a temporary file beside its destination, checked,
 * and only then moved into place.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fstatSync, fsyncSync, linkSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { MigrationError, readMigrations, refuseDrift, type Migration } from './migrations.js';

/** The files are not what the command needs (no database, not ours, damaged, in use); nothing was changed. */
export class BackupError extends Error {}

export interface BackupReport {
  readonly pages: number;
  readonly bytes: number;
  /** The migrations the copy has applied, in order. */
  readonly migrations: readonly number[];
}

export interface RestoreReport extends BackupReport {
  /** Migrations the service will apply when it next starts (the backup is older than this release). */
  readonly pendingMigrations: readonly number[];
}

export interface BackupOptions {
  /** Replace an existing backup file (`--force`). */
  readonly overwrite?: boolean;
  readonly migrations?: readonly Migration[];
}

/**
 * SQLite's online backup API copies pages in steps, and restarts from the beginning whenever another
 * connection writes between two steps: with the engine writing all the time, a stepped backup of a large
 * database might never finish. One step copies everything inside one read transaction, which in WAL mode
 * holds up no writer and is a consistent snapshot by construction.
 */
const ALL_PAGES = 0x7fffffff;

/** Another connection holds the database (the service, a backup): how long the lock is waited for. */
const BUSY_TIMEOUT_MS = 5_000;

/** Copies the live database at `databasePath` into `backupPath`, while the service keeps writing. */
export async function backupDatabase(databasePath: string, backupPath: string, options: BackupOptions = {}): Promise<BackupReport> {
  if (!existsSync(databasePath)) throw new BackupError(`there is no database at ${databasePath}`);
  const migrations = options.migrations ?? readMigrations();
  const temporary = beside(backupPath, 'partial');
  try {
    const pages = await copyDatabase(databasePath, temporary);
    const applied = verifyDatabase(temporary, migrations, databasePath);
    publish(temporary, backupPath, options.overwrite === true);
    return { pages, bytes: statSync(backupPath).size, migrations: applied };
  } finally {
    removeDatabaseFiles(temporary);
  }
}

/**
 * Replaces the database at `databasePath` with the backup, refusing while anything has the database open
 * (the service's engine keeps a connection open as long as it runs). Holding an exclusive lock on the old
 * database through the swap also makes a service started meanwhile wait instead of reading either file.
 */
export async function restoreDatabase(backupPath: string, databasePath: string, options: Pick<BackupOptions, 'migrations'> = {}): Promise<RestoreReport> {
  const migrations = options.migrations ?? readMigrations();
  const applied = await leavingNoSidecars(backupPath, async () => verifyDatabase(backupPath, migrations, backupPath));
  const lock = existsSync(databasePath) ? lockExclusively(databasePath) : undefined;
  const temporary = beside(databasePath, 'restoring');
  try {
    const pages = await leavingNoSidecars(backupPath, () => copyDatabase(backupPath, temporary));
    verifyDatabase(temporary, migrations, 'the restored copy');
    lock?.settle();
    renameSync(temporary, databasePath);
    syncDirectory(databasePath);
    lock?.retire();
    return {
      pages, bytes: statSync(databasePath).size, migrations: applied,
      pendingMigrations: migrations.map((m) => m.version).filter((version) => !applied.includes(version)),
    };
  } finally {
    lock?.release();
    removeDatabaseFiles(temporary);
  }
}

/**
 * Checks that `path` is a whole redcap-sms database this release can run: its applied migrations match the
 * files in `migrations/` (an older backup lacks only the newest, which start-up applies), and SQLite's
 * integrity check passes. Returns the applied versions.
 */
export function verifyDatabase(path: string, migrations: readonly Migration[], name = path): number[] {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const table = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`).get();
    if (table === undefined) throw new BackupError(`${name} is not a redcap-sms database (it has no schema_migrations table)`);
    const rows = db.prepare('SELECT version, checksum FROM schema_migrations ORDER BY version').all() as { version: number; checksum: string }[];
    refuseDrift(new Map(rows.map((row) => [row.version, row.checksum])), migrations);
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw new BackupError(`${name} is damaged (SQLite integrity check: ${String(integrity)})`);
    return rows.map((row) => row.version);
  } catch (error) {
    if (error instanceof MigrationError) throw new BackupError(`${name} does not match this release of redcap-sms: ${error.message}`);
    throw asBackupError(error, name);
  } finally {
    db.close();
  }
}

/** Copies `source` into the new file `destination` in one step and leaves it one self-contained file. */
async function copyDatabase(source: string, destination: string): Promise<number> {
  const from = new Database(source, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
  try {
    const { totalPages } = await from.backup(destination, { progress: () => ALL_PAGES });
    // The copied header says WAL; in rollback mode the file carries no -wal or -shm beside it.
    const copy = new Database(destination);
    try {
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    return totalPages;
  } catch (error) {
    throw asBackupError(error, source);
  } finally {
    from.close();
  }
}

interface DatabaseLock {
  /** Folds the old database's WAL into its file, so that the old file is whole on its own. */
  settle(): void;
  /** After the swap: makes the replaced file unreadable for a connection that opened it before. */
  retire(): void;
  release(): void;
}

/**
 * An exclusive lock on the database, or BackupError when anything else has it open: in WAL mode every
 * open connection keeps a shared lock on the file, even between transactions, so this sees an idle
 * service as well as a busy one, and no lock outlives a killed process (the kernel drops it).
 */
function lockExclusively(path: string): DatabaseLock {
  const db = new Database(path, { fileMustExist: true, timeout: 0 });
  let replaced: number | undefined;
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT'); // in exclusive locking mode the lock stays after the commit
    replaced = openSync(path, 'r+');
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') {
      throw new BackupError(`the database ${path} is in use (is the service running? stop it first)`);
    }
    throw new BackupError(`the database ${path} cannot be opened (${(error as Error).message}); move it aside and restore again`);
  }
  const fd = replaced;
  return {
    settle() {
      db.pragma('journal_mode = DELETE');
      rmSync(`${path}-shm`, { force: true });
    },
    retire() {
      // A service that opened the old file during the restore waits for this lock; were the old file still a
      // database, it would then run on a file no path leads to and lose what it writes. It fails instead.
      if (fstatSync(fd).nlink === 0) writeSync(fd, Buffer.from('replaced:restore'), 0, 16, 0);
    },
    release() {
      closeSync(fd);
      db.close();
    },
  };
}

/** Moves the finished copy to its name: never over an existing file unless asked, and durably. */
function publish(temporary: string, destination: string, overwrite: boolean): void {
  if (overwrite) {
    renameSync(temporary, destination);
  } else {
    try {
      // A hard link fails if the name exists, where a rename would silently replace it.
      linkSync(temporary, destination);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new BackupError(`${destination} already exists (use --force to replace it)`);
      throw error;
    }
  }
  syncDirectory(destination);
}

/**
 * A backup copied from a WAL-mode database is itself in WAL mode, and reading it, even read-only, leaves an
 * empty -wal and -shm beside it; those are removed, while any that were there before (with pages of their
 * own) are read and kept.
 */
async function leavingNoSidecars<T>(path: string, read: () => Promise<T>): Promise<T> {
  const sidecars = [`${path}-wal`, `${path}-shm`].filter((sidecar) => !existsSync(sidecar));
  try {
    return await read();
  } finally {
    for (const sidecar of sidecars) rmSync(sidecar, { force: true });
  }
}

function beside(path: string, purpose: string): string {
  return join(dirname(path), `.${basename(path)}.${purpose}-${process.pid}-${randomBytes(4).toString('hex')}`);
}

function removeDatabaseFiles(path: string): void {
  for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
}

/** A rename is durable only once the directory that names the file is on disk. */
function syncDirectory(file: string): void {
  const fd = openSync(dirname(file), 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function asBackupError(error: unknown, name: string): Error {
  if (error instanceof BackupError) return error;
  const code = (error as { code?: string }).code;
  if (code === 'SQLITE_NOTADB') return new BackupError(`${name} is not a SQLite database`);
  if (code === 'SQLITE_CORRUPT') return new BackupError(`${name} is damaged (${(error as Error).message})`);
  if (code === 'SQLITE_CANTOPEN') return new BackupError(`${name} cannot be opened`);
  return error instanceof Error ? error : new Error(String(error));
}
