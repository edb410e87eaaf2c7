import { afterAll, beforeAll, inject } from 'vitest';
import { createDatabase, databaseUrl, dropDatabase, newDatabaseName } from '../postgres-server/databases.js';

/**
 * A database of its own for one test file, on the run's server (global-setup.ts): created before the file's
 * tests, dropped after them. Call it at the top of a test file; `url()` is for its tests and hooks.
 */
export function freshDatabase(): { url(): string } {
  const name = newDatabaseName('test');
  const serverUrl = inject('postgresUrl');
  beforeAll(() => createDatabase(serverUrl, name));
  afterAll(() => dropDatabase(serverUrl, name));
  return { url: () => databaseUrl(serverUrl, name) };
}
