import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';

/**
 * A database of its own for one test file, on the run's server (global-setup.ts): created before the file's
 * tests, dropped after them. Call it at the top of a test file; `url()` is for its tests and hooks.
 */
export function freshDatabase(): { url(): string } {
  const name = `test_${randomBytes(6).toString('hex')}`;
  const serverUrl = inject('postgresUrl');
  beforeAll(() => onServer(serverUrl, `CREATE DATABASE ${name}`));
  afterAll(() => onServer(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  return { url: () => databaseUrl(serverUrl, name) };
}

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

function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
