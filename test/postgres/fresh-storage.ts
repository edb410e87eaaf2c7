import { openPostgresStorage, type PostgresStorage } from '../../src/adapters/postgres/open-postgres.js';
import { onServer } from '../postgres-server/databases.js';
import { freshDatabase } from './fresh-database.js';

export const MIGRATED_AT = new Date('2026-03-02T15:00:00Z');
let schemas = 0;

/**
 * For a test file: a factory of URLs, each of an empty schema of its own on the file's own database, so no
 * test sees another's rows. Several instances on one database open the same URL.
 */
export function freshSchemas(): () => Promise<string> {
  const database = freshDatabase();
  return async () => {
    const schema = `storage_${++schemas}`;
    await onServer(database.url(), `CREATE SCHEMA ${schema}`);
    const scoped = new URL(database.url());
    scoped.searchParams.set('options', `-c search_path=${schema}`);
    return scoped.toString();
  };
}

/** For a test file: a factory of empty, migrated PostgreSQL storage (freshSchemas). Close what it returns. */
export function freshStorage(): () => Promise<PostgresStorage> {
  const schema = freshSchemas();
  return async () => openPostgresStorage(await schema(), { now: MIGRATED_AT });
}
