/** What `backup` and `restore` share: the service's database file and the file named on the command line. */
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { loadDatabasePath, loadDatabaseUrl } from '../../config/env.js';
import { UsageError, type CliIo } from '../io.js';

/** DATABASE_PATH, resolved where the service would resolve it (its working directory). */
export function databaseFile(io: CliIo): string {
  const path = loadDatabasePath(io.env);
  if (path === ':memory:') throw new UsageError('DATABASE_PATH is :memory:, which has no file to back up or restore');
  return resolve(io.cwd, path);
}

/**
 * The SQLite file `backup` or `restore` works on. With DATABASE_URL set the service's data is in PostgreSQL,
 * which these commands do not touch: saying so beats backing up a SQLite file nobody uses.
 */
export function sqliteFileFor(io: CliIo, command: 'backup' | 'restore'): string {
  if (loadDatabaseUrl(io.env) !== undefined) {
    throw new UsageError(`${command} is for SQLite (DATABASE_PATH); DATABASE_URL is set, so the service's data is in PostgreSQL: `
      + `${command === 'backup' ? 'back it up with pg_dump' : 'restore it with pg_restore'} (docs/operator-guide.md, Backups)`);
  }
  return databaseFile(io);
}

/** A file to be written: its folder must exist, and it must not be a folder itself. */
export function fileToWrite(io: CliIo, file: string): string {
  const path = resolve(io.cwd, file);
  if (!existsSync(dirname(path))) throw new UsageError(`no such directory: ${dirname(file)}`);
  if (existsSync(path) && statSync(path).isDirectory()) throw new UsageError(`${file} is a directory`);
  return path;
}

/** A file to be read: it must exist and be a file. */
export function fileToRead(io: CliIo, file: string): string {
  const path = resolve(io.cwd, file);
  if (!existsSync(path)) throw new UsageError(`no such file: ${file}`);
  if (statSync(path).isDirectory()) throw new UsageError(`${file} is a directory`);
  return path;
}

export function megabytes(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MB`;
}

/** `1–15`, or the versions themselves when some are missing. */
export function versions(applied: readonly number[]): string {
  if (applied.length === 0) return 'none';
  const contiguous = applied.every((version, index) => index === 0 || version === applied[index - 1]! + 1);
  return contiguous && applied.length > 1 ? `${applied[0]}–${applied.at(-1)}` : applied.join(', ');
}
