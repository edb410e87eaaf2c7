import { defineConfig } from 'vitest/config';
import { findPostgresServer } from './test/postgres-server/server-binaries.js';

/** The PostgreSQL suite: its files need the server that test/postgres/global-setup.ts starts for the run. */
const POSTGRES_TESTS = ['test/postgres/**/*.test.ts', 'test/contracts/postgres-*.test.ts'];
const postgres = findPostgresServer();
if (postgres.kind === 'none') {
  console.log(`PostgreSQL suite NOT RUN: ${postgres.why}. See README, Testing.`);
}

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // The browser and reliability suites start real servers; two workers fit this 2-core machine.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'main', include: ['test/**/*.test.ts'], exclude: POSTGRES_TESTS, sequence: { groupOrder: 0 } } },
      ...(postgres.kind === 'none'
        ? []
        // After the main suite, so its server and its tests never compete with the timing-sensitive tests there.
        : [{ extends: true as const, test: { name: 'postgres', include: POSTGRES_TESTS, globalSetup: ['test/postgres/global-setup.ts'], sequence: { groupOrder: 1 } } }]),
    ],
  },
});
