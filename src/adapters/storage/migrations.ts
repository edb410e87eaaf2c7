import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from 'better-sqlite3';

/** A numbered `.sql` file: `0001_init.sql` is version 1, name `init`. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {}

/** The project's `migrations/` folder; the same relative path works from `src/` and from `dist/`. */
export const defaultMigrationsDir = fileURLToPath(new URL('../../../migrations/', import.meta.url));

const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.sql$/;

export function readMigrations(dir: string = defaultMigrationsDir): Migration[] {
  return readdirSync(dir)
    .filter((file) => FILE_NAME.test(file))
    .sort()
    .map((file) => {
      const [, version = '', name = ''] = FILE_NAME.exec(file) ?? [];
      const sql = readFileSync(join(dir, file), 'utf8');
      return { version: Number(version), name, sql, checksum: sha256(sql) };
    });
}

/**
 * Applies every migration not yet recorded, in order, each in its own transaction. Forward only:
 * an applied migration whose file changed (checksum) or disappeared stops start-up rather than
 * letting the schema and the files drift apart silently.
 */
export function applyMigrations(db: Database, migrations: readonly Migration[], now: Date): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT`);
  const applied = new Map(
    (db.prepare('SELECT version, checksum FROM schema_migrations').all() as { version: number; checksum: string }[])
      .map((row) => [row.version, row.checksum]),
  );
  refuseDrift(applied, migrations);
  const record = db.prepare('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)');
  const pending = migrations.filter((m) => !applied.has(m.version));
  for (const migration of pending) {
    db.transaction(() => {
      db.exec(migration.sql);
      record.run(migration.version, migration.name, migration.checksum, now.toISOString());
    }).immediate();
  }
  return pending.map((m) => m.version);
}

/** Throws MigrationError when an applied migration's file changed or is missing. */
export function refuseDrift(applied: ReadonlyMap<number, string>, migrations: readonly Migration[]): void {
  const byVersion = new Map(migrations.map((m) => [m.version, m]));
  for (const [version, checksum] of applied) {
    const file = byVersion.get(version);
    if (file === undefined) {
      throw new MigrationError(`migration ${version} is applied but its file is missing`);
    }
    if (file.checksum !== checksum) {
      throw new MigrationError(`migration ${version} (${file.name}) changed after it was applied`);
    }
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
