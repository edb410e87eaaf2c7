import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { type Migration, MigrationError, readMigrations, refuseDrift } from '../storage/migrations.js';
import { withClient } from './session.js';

/**
 * PostgreSQL's forward-only, checksummed migrations (`migrations/postgres/NNNN_name.sql`), read and checked
 * like SQLite's (`../storage/migrations.ts`: same file names, same drift rule). Several instances may start
 * together: a session advisory lock makes one of them migrate while the others wait, then find nothing to do.
 */

/** `migrations/postgres/`; the same relative path works from `src/` and from `dist/`. */
export const defaultPostgresMigrationsDir = fileURLToPath(new URL('../../../migrations/postgres/', import.meta.url));

/** The advisory lock key of migrations (any constant; "rsms" + 1). Unit-of-work locks use the two-key form. */
const MIGRATION_LOCK = 0x72736d7301;

export function readPostgresMigrations(dir: string = defaultPostgresMigrationsDir): Migration[] {
  return readMigrations(dir);
}

/**
 * Applies every migration not yet recorded, in order, each in its own transaction, holding the migration
 * lock throughout; returns the versions it applied. Refuses (MigrationError) an applied migration whose
 * file changed or disappeared, before applying anything.
 */
export async function applyPostgresMigrations(pool: pg.Pool, migrations: readonly Migration[], now: Date): Promise<number[]> {
  return withClient(pool, async (client) => {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      return await applyPending(client, migrations, now);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  });
}

async function applyPending(client: pg.PoolClient, migrations: readonly Migration[], now: Date): Promise<number[]> {
  await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL)`);
  const { rows } = await client.query<{ version: number; checksum: string }>('SELECT version, checksum FROM schema_migrations');
  refuseDrift(new Map(rows.map((row) => [row.version, row.checksum])), migrations);
  const applied = new Set(rows.map((row) => row.version));
  const pending = migrations.filter((m) => !applied.has(m.version));
  for (const migration of pending) {
    await client.query('BEGIN');
    try {
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)', [
        migration.version, migration.name, migration.checksum, now.toISOString(),
      ]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw new MigrationError(`migration ${migration.version} (${migration.name}) failed: ${(error as Error).message}`);
    }
  }
  return pending.map((m) => m.version);
}
