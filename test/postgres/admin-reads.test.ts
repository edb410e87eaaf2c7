import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteDashboardQueries } from '../../src/adapters/admin/dashboard-queries.js';
import { sqliteMetricsQueries } from '../../src/adapters/admin/metrics-queries.js';
import { sqliteAdminQueries } from '../../src/adapters/admin/sqlite-admin-queries.js';
import type { PostgresStorage } from '../../src/adapters/postgres/open-postgres.js';
import type Database from 'better-sqlite3';
import { projectRegistry } from '../../src/config/projects.js';
import { projectConfig } from '../writeback/harness.js';
import { freshStorage } from './fresh-storage.js';
import { NOW, seededSqlite, seedStudy } from './study-seed.js';

/**
 * The admin API, dashboard and /metrics reads on PostgreSQL give what SQLite's give for the same rows: one
 * study's worth of conversations, texts, writes, opt-outs and flags is written through each backend's own
 * stores, and every read is compared.
 */
const projects = projectRegistry([projectConfig('http://127.0.0.1:1/api/', { monthlySegmentBudget: 500 })]);

const openPostgres = freshStorage();
let postgres: PostgresStorage;
let db: Database.Database;

beforeAll(async () => {
  postgres = await openPostgres();
  await seedStudy(postgres);
  db = await seededSqlite();
});
afterAll(() => postgres.close());

describe('PostgreSQL admin, dashboard and /metrics reads', () => {
  it.each([
    ['the latest conversations', (q: ReturnType<typeof sqliteAdminQueries>) => q.conversations(3)],
    ['one conversation', (q: ReturnType<typeof sqliteAdminQueries>) => q.conversation('c2')],
    ['an unknown conversation', (q: ReturnType<typeof sqliteAdminQueries>) => q.conversation('nope')],
    ["a conversation's transcript", (q: ReturnType<typeof sqliteAdminQueries>) => q.transcript('c1')],
    ["a conversation's refused REDCap writes", (q: ReturnType<typeof sqliteAdminQueries>) => q.redcapWriteFailures('c2')],
    ['the opt-outs', (q: ReturnType<typeof sqliteAdminQueries>) => q.optOuts()],
  ])('when the admin API reads %s, then PostgreSQL gives what SQLite gives', async (_case, read) => {
    const expected = await read(sqliteAdminQueries(db));
    expect(await read(postgres.admin as unknown as ReturnType<typeof sqliteAdminQueries>)).toEqual(expected);
  });

  it('when the dashboard is read, then its tables are the same as on SQLite', async () => {
    const expected = await sqliteDashboardQueries(db).read(10);
    expect(expected.problems.length * expected.invitations.length * expected.funnel.length).toBeGreaterThan(0);
    expect(await postgres.dashboard.read(10)).toEqual(expected);
  });

  it("when the dashboard's charts are read, then their figures are the same as on SQLite", async () => {
    const expected = await sqliteDashboardQueries(db).trends(NOW);
    expect(expected.dropOff.map((row) => row.field)).toEqual(['mood', 'sleep_hours']);
    expect(await postgres.dashboard.trends(NOW)).toEqual(expected);
  });

  it('when /metrics is scraped, then the stored figures are the same as on SQLite', async () => {
    await postgres.pool.query(`INSERT INTO segment_usage (project, month, segments) VALUES ('study', '2026-03', 42)`);
    db.prepare(`INSERT INTO segment_usage (project, month, segments) VALUES ('study', '2026-03', 42)`).run();
    const expected = await sqliteMetricsQueries(db, projects).read(NOW);
    expect([expected.queues.length, expected.segments]).toEqual([3, [{ project: 'study', used: 42, budget: 500 }]]);
    expect(await postgres.metrics(projects).read(NOW)).toEqual(expected);
  });
});
