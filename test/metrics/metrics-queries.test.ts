import { describe, expect, it } from 'vitest';
import { sqliteMetricsQueries } from '../../src/adapters/admin/metrics-queries.js';
import { openDatabase, SqliteStore } from '../../src/adapters/storage/index.js';
import type { NewOutboxRow } from '../../src/ports/storage/rows.js';
import { projectRegistry } from '../../src/config/projects.js';
import { plansOf } from '../admin/query-plans.js';
import { projectConfig } from '../writeback/harness.js';

const at = (minute: number) => new Date(Date.UTC(2026, 2, 2, 15, minute)).toISOString();
const NOW = new Date(at(30));

/** Project `study` (a budget of 500 segments) with texts and writes waiting, sent and failed, and two opt-outs (each queues its REDCap write). */
async function store(): Promise<SqliteStore> {
  const s = new SqliteStore(openDatabase(':memory:', { now: NOW }));
  const row = (channel: 'sms' | 'redcap', minute: number): NewOutboxRow => ({
    conversationId: null, project: 'study', channel, kind: channel === 'sms' ? 'question' : 'write', phone: '+15555550100',
    payload: { body: 'q' }, status: 'pending', nextAttemptAt: at(minute), createdAt: at(minute),
  });
  await s.transaction(async (tx) => {
    await tx.enqueue(row('sms', 5));
    await tx.enqueue(row('sms', 20));
    await tx.markOutbox(await tx.enqueue(row('sms', 1)), 'sent');
    await tx.markOutbox(await tx.enqueue(row('sms', 2)), 'failed', 'Twilio 21211');
    await tx.enqueue(row('redcap', 10));
    await tx.markOutbox(await tx.enqueue(row('redcap', 3)), 'failed', 'REDCap refused');
    await tx.markOutbox(await tx.enqueue(row('redcap', 4)), 'failed', 'REDCap refused');
    await tx.optOut('study', '+15555550101', at(11), 'keyword');
    await tx.optOut('study', '+15555550102', at(12), 'provider');
  });
  s.db.prepare(`INSERT INTO segment_usage (project, month, segments) VALUES ('study', '2026-03', 42), ('study', '2026-02', 7)`).run();
  return s;
}

const projects = projectRegistry([projectConfig('http://127.0.0.1:1/api/', { monthlySegmentBudget: 500 })]);

describe('the metrics queries', () => {
  it('when texts and writes wait, then each queue has its depth and the time its oldest row was queued', async () => {
    expect((await sqliteMetricsQueries((await store()).db, projects).read(NOW)).queues).toEqual([
      { channel: 'sms', project: 'study', pending: 2, oldestQueuedAt: at(5) },
      { channel: 'redcap', project: 'study', pending: 3, oldestQueuedAt: at(10) }, // the write and both opt-outs' syncs
    ]);
  });

  it('when rows failed for good and numbers opted out, then they are counted by channel and by source', async () => {
    const figures = await sqliteMetricsQueries((await store()).db, projects).read(NOW);

    expect(figures.failed).toEqual([{ channel: 'redcap', project: 'study', count: 2 }, { channel: 'sms', project: 'study', count: 1 }]);
    expect(figures.optOuts).toEqual([{ project: 'study', source: 'keyword', count: 1 }, { project: 'study', source: 'provider', count: 1 }]);
  });

  it("when segments were sent this month and last, then this month's count stands beside the budget", async () => {
    expect((await sqliteMetricsQueries((await store()).db, projects).read(NOW)).segments).toEqual([{ project: 'study', used: 42, budget: 500 }]);
  });

  it('when the metrics are read, then no query reads the outbox or the transcript whole (it runs on the HTTP thread at every scrape)', async () => {
    const plans = plansOf((await store()).db, (db) => sqliteMetricsQueries(db, projects), 'study');

    expect(plans.filter((detail) => /^SCAN (outbox|transcript)$/.test(detail))).toEqual([]);
    expect(plans).toEqual(expect.arrayContaining([
      expect.stringMatching(/USING COVERING INDEX outbox_texts_due/),
      expect.stringMatching(/USING COVERING INDEX outbox_writes_pending/),
    ]));
  });
});
