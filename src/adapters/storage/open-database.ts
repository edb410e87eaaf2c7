import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { applyMigrations, readMigrations, defaultMigrationsDir } from './migrations.js';

export interface DatabaseOptions {
  /** `FULL` by default: once Twilio has our 200, a lost commit is a lost answer. */
  synchronous?: 'FULL' | 'NORMAL';
  /** How long a writer waits for the lock, in ms. */
  busyTimeoutMs?: number;
  migrationsDir?: string;
  now?: Date;
}

/**
 * Opens (or creates) the database, sets the durability pragmas and applies pending migrations. The folder is
 * created too: `serve` with the default `DATABASE_PATH` (./data/…) must work on a fresh clone.
 */
export function openDatabase(path: string, options: DatabaseOptions = {}): Database.Database {
  if (path !== ':memory:') createFolder(dirname(path));
  const db = new Database(path, { timeout: options.busyTimeoutMs ?? 5000 });
  if (path !== ':memory:') db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
  db.pragma('foreign_keys = ON');
  applyMigrations(db, readMigrations(options.migrationsDir ?? defaultMigrationsDir), options.now ?? new Date());
  return db;
}

function createFolder(folder: string): void {
  try {
    mkdirSync(folder, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new Error(`Cannot create the database's folder ${folder} (${code === 'EEXIST' ? 'a file has that name' : code})`);
  }
}
