import { openPostgresStorage, type PostgresStorage } from '../../src/adapters/postgres/open-postgres.js';
import { freshDatabase, onServer } from './fresh-database.js';

let schemas = 0;

/**
 * For a test file: a factory of empty, migrated PostgreSQL storage, each in a schema of its own on the file's
 * own database, so no test sees another's rows. Close what it returns.
 */
export function freshStorage(): () => Promise<PostgresStorage> {
  const database = freshDatabase();
  return async () => {
    const schema = `storage_${++schemas}`;
    await onServer(database.url(), `CREATE SCHEMA ${schema}`);
    return openPostgresStorage(inSchema(database.url(), schema), { now: new Date('2026-03-02T15:00:00Z') });
  };
}

/** The URL of `schema` in the database at `url`: its tables are found there first. */
export function inSchema(url: string, schema: string): string {
  const scoped = new URL(url);
  scoped.searchParams.set('options', `-c search_path=${schema}`);
  return scoped.toString();
}
