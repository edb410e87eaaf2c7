import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteDashboardQueries } from '../../src/adapters/admin/dashboard-queries.js';
import { sqliteMetricsQueries } from '../../src/adapters/admin/metrics-queries.js';
import { sqliteAdminQueries } from '../../src/adapters/admin/sqlite-admin-queries.js';
import { SqliteDeliveryStore } from '../../src/adapters/delivery/sqlite-delivery-store.js';
import type { PostgresStorage } from '../../src/adapters/postgres/open-postgres.js';
import { openDatabase, SqliteStore } from '../../src/adapters/storage/index.js';
import { SqliteRedcapSyncStore } from '../../src/adapters/storage/redcap-sync-store.js';
import { projectRegistry } from '../../src/config/projects.js';
import type { Survey } from '../../src/dictionary/model.js';
import type { ConversationRow, NewOutboxRow, TranscriptRow } from '../../src/ports/storage/rows.js';
import { demoSurvey } from '../conversation/demo-survey.js';
import { projectConfig } from '../writeback/harness.js';
import { freshStorage } from './fresh-storage.js';

/**
 * The admin API, dashboard and /metrics reads on PostgreSQL give what SQLite's give for the same rows: one
 * study's worth of conversations, texts, writes, opt-outs and flags is written through each backend's own
 * stores, and every read is compared.
 */
const at = (minute: number) => new Date(Date.UTC(2026, 2, 2, 15, minute)).toISOString();
const NOW = new Date(at(600));
const survey = demoSurvey();
const projects = projectRegistry([projectConfig('http://127.0.0.1:1/api/', { monthlySegmentBudget: 500 })]);

/** What the seed needs of a backend's stores; SQLite's answer at once, PostgreSQL's with promises. */
interface Stores {
  conversations: {
    saveSurvey(survey: Survey, at: string): unknown;
    insertConversation(row: ConversationRow): unknown;
    enqueue(row: NewOutboxRow): unknown;
    appendTranscript(row: TranscriptRow): unknown;
    optOut(project: string, phone: string, at: string, source: string): unknown;
  };
  delivery: {
    markSent(id: number, sid: string, status: string, at: string): unknown;
    recordStatus(sid: string, status: string, errorCode: number | null, at: string): unknown;
    markFailed(id: number, error: string, errorCode: number | null): unknown;
  };
  sync: { markFailed(ids: readonly number[], error: string): unknown };
}

function conversation(id: string, phone: string, overrides: Partial<ConversationRow>): ConversationRow {
  return {
    id, project: 'p', phone, recordId: id.slice(1), instrument: 'daily', surveyVersion: survey.id, status: 'asking', open: true,
    active: true, snapshot: { value: 'asking', context: { current: 'mood' } }, snapshotFormat: 1, machineVersion: 1, revision: 0,
    createdAt: at(0), updatedAt: at(0), ...overrides,
  };
}

async function seed({ conversations, delivery, sync }: Stores): Promise<void> {
  await conversations.saveSurvey(survey, at(0));
  const rows = [
    conversation('c1', '+15551230001', { status: 'completed', open: false, updatedAt: at(12) }),
    conversation('c2', '+15551230002', { status: 'expired', open: false, snapshot: { context: { current: 'sleep_hours' } }, createdAt: at(1) }),
    conversation('c3', '+15551230003', { status: 'opted_out', open: false, snapshot: { context: { current: 'mood' } } }),
    conversation('c4', '+15551230004', { project: 'q', instrument: 'weekly', createdAt: at(2) }),
  ];
  for (const row of rows) await conversations.insertConversation(row);
  const text = (row: ConversationRow, overrides: Partial<NewOutboxRow> = {}): NewOutboxRow => ({
    conversationId: row.id, project: row.project, channel: 'sms', kind: 'invitation', phone: row.phone, payload: { body: 'Hi' },
    status: 'pending', nextAttemptAt: row.createdAt, createdAt: row.createdAt, ...overrides,
  });
  const ids: number[] = [];
  for (const row of rows) ids.push(Number(await conversations.enqueue(text(row))));
  await delivery.markSent(ids[0]!, 'SM1', 'sent', at(1));
  await delivery.recordStatus('SM1', 'delivered', null, at(2));
  await delivery.markFailed(ids[1]!, 'HTTP 400 (21211)', 21211);
  const write = Number(await conversations.enqueue(text(rows[1]!, { channel: 'redcap', kind: 'write', phone: null, payload: { mood: '2' } })));
  await sync.markFailed([write], 'REDCap refused mood');
  await conversations.enqueue(text(rows[0]!, { channel: 'redcap', kind: 'write', phone: null, payload: { mood: '1' }, createdAt: at(5) }));
  await conversations.appendTranscript({ conversationId: 'c1', project: 'p', direction: 'in', kind: 'text', body: '1', at: at(3) });
  await conversations.appendTranscript({ conversationId: 'c1', project: 'p', direction: 'out', kind: 'question', body: 'Mood?', at: at(4) });
  await conversations.appendTranscript({ conversationId: 'c2', project: 'p', direction: 'event', kind: 'flag', body: 'needs a call', at: at(6) });
  await conversations.optOut('p', '+15551230003', at(7), 'keyword');
}

const openPostgres = freshStorage();
let postgres: PostgresStorage;
const db = openDatabase(':memory:', { now: NOW });

beforeAll(async () => {
  postgres = await openPostgres();
  await seed(postgres);
  const store = new SqliteStore(db);
  await seed({ conversations: store, delivery: new SqliteDeliveryStore(db), sync: new SqliteRedcapSyncStore(db) });
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
    const expected = read(sqliteAdminQueries(db));
    expect(await read(postgres.admin as unknown as ReturnType<typeof sqliteAdminQueries>)).toEqual(expected);
  });

  it('when the dashboard is read, then its tables are the same as on SQLite', async () => {
    const expected = sqliteDashboardQueries(db).read(10);
    expect(expected.problems.length * expected.invitations.length * expected.funnel.length).toBeGreaterThan(0);
    expect(await postgres.dashboard.read(10)).toEqual(expected);
  });

  it("when the dashboard's charts are read, then their figures are the same as on SQLite", async () => {
    const expected = sqliteDashboardQueries(db).trends(NOW);
    expect(expected.dropOff.map((row) => row.field)).toEqual(['mood', 'sleep_hours']);
    expect(await postgres.dashboard.trends(NOW)).toEqual(expected);
  });

  it('when /metrics is scraped, then the stored figures are the same as on SQLite', async () => {
    await postgres.pool.query(`INSERT INTO segment_usage (project, month, segments) VALUES ('study', '2026-03', 42)`);
    db.prepare(`INSERT INTO segment_usage (project, month, segments) VALUES ('study', '2026-03', 42)`).run();
    const expected = sqliteMetricsQueries(db, projects).read(NOW);
    expect([expected.queues.length, expected.segments]).toEqual([3, [{ project: 'study', used: 42, budget: 500 }]]);
    expect(await postgres.metrics(projects).read(NOW)).toEqual(expected);
  });
});
