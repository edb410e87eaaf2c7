import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * Databases of their own on a PostgreSQL server, made through its superuser's URL: a test file's
 * (test/postgres/fresh-database.ts) or a benchmark case's (bench/inbound-postgres.ts).
 */
export function newDatabaseName(prefix: string): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export const createDatabase = (serverUrl: string, name: string) => onServer(serverUrl, `CREATE DATABASE ${name}`);

/** Drops it even while a connection is still open (a server process that has not yet let go). */
export const dropDatabase = (serverUrl: string, name: string) => onServer(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);

/** Runs one statement as the server's superuser, on its own connection. */
export async function onServer(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
