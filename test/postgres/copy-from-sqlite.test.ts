import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { sqliteDashboardQueries } from '../../src/adapters/admin/dashboard-queries.js';
import { sqliteAdminQueries } from '../../src/adapters/admin/sqlite-admin-queries.js';
import { CopyError, copySqliteToPostgres } from '../../src/adapters/postgres/copy-from-sqlite.js';
import type { PostgresStorage } from '../../src/adapters/postgres/open-postgres.js';
import { applyMigrations, readMigrations, SqliteStore } from '../../src/adapters/storage/index.js';
import { SqliteRedcapSyncStore } from '../../src/adapters/storage/redcap-sync-store.js';
import { freshStorage } from './fresh-storage.js';
import { NOW, seededSqlite } from './study-seed.js';

/** Moving a SQLite study to PostgreSQL: everything arrives, once, or nothing does. */
const openPostgres = freshStorage();
const opened: PostgresStorage[] = [];
const empty = async () => {
  const storage = await openPostgres();
  opened.push(storage);
  return storage;
};
afterEach(async () => {
  await Promise.all(opened.splice(0).map((storage) => storage.close()));
});

const count = (db: Database.Database, table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('copying a SQLite study to PostgreSQL', () => {
  it('when a study is copied, then every row arrives, and every read gives what it gave on SQLite', async () => {
    const sqlite = await seededSqlite();
    const postgres = await empty();
    const report = await copySqliteToPostgres(sqlite, postgres.pool);

    expect(Object.entries(report.rows).filter(([, rows]) => rows === 0).map(([table]) => table)).toEqual(['simulator_messages', 'segment_usage']);
    for (const [table, rows] of Object.entries(report.rows)) expect([table, rows]).toEqual([table, count(sqlite, table)]);
    const store = new SqliteStore(sqlite);
    expect(await postgres.conversations.conversations('p')).toEqual(await store.conversations('p'));
    // The answers' rows come back in the record's own order.
    expect(JSON.stringify(await postgres.conversations.conversations('p'))).toBe(JSON.stringify(await store.conversations('p')));
    expect(await postgres.conversations.transcript('c1')).toEqual(await store.transcript('c1'));
    expect(await postgres.sync.pendingRedcapRows('p', 100)).toEqual(await new SqliteRedcapSyncStore(sqlite).pendingRedcapRows('p', 100));
    expect(await postgres.admin.optOuts()).toEqual(await sqliteAdminQueries(sqlite).optOuts());
    expect(await postgres.dashboard.read(100)).toEqual(await sqliteDashboardQueries(sqlite).read(100));
    expect(await postgres.dashboard.trends(NOW)).toEqual(await sqliteDashboardQueries(sqlite).trends(NOW));
  });

  it('when rows are added after the copy, then they take new ids and the opt-out triggers work again', async () => {
    const sqlite = await seededSqlite();
    const postgres = await empty();
    await copySqliteToPostgres(sqlite, postgres.pool);
    const largest = (sqlite.prepare('SELECT MAX(id) AS id FROM outbox').get() as { id: number }).id;

    await postgres.conversations.optOut('p', '+15551230009', NOW.toISOString(), 'keyword');

    const { rows } = await postgres.pool.query<{ id: number; kind: string }>('SELECT id, kind FROM outbox WHERE id > $1', [largest]);
    expect(rows).toEqual([{ id: largest + 1, kind: 'opt-out' }]);
  });

  it('when the PostgreSQL database already holds a study, then the copy is refused and nothing changes', async () => {
    const sqlite = await seededSqlite();
    const postgres = await empty();
    await copySqliteToPostgres(sqlite, postgres.pool);
    const before = await postgres.pool.query('SELECT COUNT(*) AS n FROM outbox');

    await expect(copySqliteToPostgres(sqlite, postgres.pool)).rejects.toThrow(CopyError);
    await expect(copySqliteToPostgres(sqlite, postgres.pool)).rejects.toThrow(/not empty \(survey_versions has rows\)/);
    expect((await postgres.pool.query('SELECT COUNT(*) AS n FROM outbox')).rows).toEqual(before.rows);
  });

  it('when the SQLite database lacks migrations, then the copy is refused and says what to do', async () => {
    const old = new Database(':memory:');
    applyMigrations(old, readMigrations().slice(0, 3), NOW);
    const postgres = await empty();
    await expect(copySqliteToPostgres(old, postgres.pool)).rejects.toThrow(/at migration 3, not \d+: start the service on it once/);
  });
});
