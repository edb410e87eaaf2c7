import { describe, expect, it } from 'vitest';
import { sqliteDashboardQueries } from '../../src/adapters/admin/dashboard-queries.js';
import { openDatabase, SqliteStore } from '../../src/adapters/storage/index.js';
import type { ConversationRow, NewOutboxRow } from '../../src/ports/storage/rows.js';
import { MACHINE_VERSION, SNAPSHOT_FORMAT } from '../../src/conversation/index.js';
import { demoSurvey } from '../conversation/demo-survey.js';
import { plansOf } from './query-plans.js';

const survey = demoSurvey();
const at = (minute: number) => new Date(Date.UTC(2026, 2, 2, 15, minute)).toISOString();

function conversation(id: string, minute: number, status: string): ConversationRow {
  return {
    id, project: 'p', phone: `+1555555${id.padStart(4, '0')}`, recordId: id, instrument: 'daily', surveyVersion: survey.id,
    status, open: status !== 'completed', active: true, snapshot: null, snapshotFormat: SNAPSHOT_FORMAT,
    machineVersion: MACHINE_VERSION, revision: 0, createdAt: at(minute), updatedAt: at(minute),
  };
}

/** Four conversations: 1 was texted and never answered, 2 texted and completed, 3 texted and was flagged, 4 not yet invited by text. */
async function study(): Promise<SqliteStore> {
  const store = new SqliteStore(openDatabase(':memory:', { now: new Date(at(0)) }));
  await store.saveSurvey(survey, at(0));
  const rows = [
    conversation('1', 1, 'asking'), conversation('2', 2, 'completed'), conversation('3', 3, 'asking'), conversation('4', 4, 'held'),
  ];
  const text = (row: ConversationRow, minute: number, body: string): NewOutboxRow => ({
    conversationId: row.id, project: 'p', channel: 'sms', kind: 'invitation', phone: row.phone, payload: { body },
    status: 'pending', nextAttemptAt: at(minute), createdAt: at(minute),
  });
  await store.transaction(async (tx) => {
    const entry = (id: string, direction: 'in' | 'out' | 'event', kind: string, body: string, minute: number) =>
      tx.appendTranscript({ conversationId: id, project: 'p', direction, kind, body, at: at(minute) });
    for (const row of rows) await tx.insertConversation(row);
    const first: number[] = [];
    for (const row of rows.slice(0, 3)) first.push(await tx.enqueue(text(row, row.id === '1' ? 1 : 5, 'first')));
    for (const row of rows.slice(0, 3)) await tx.enqueue(text(row, 9, 'a later question'));
    await tx.markOutbox(first[0]!, 'failed', 'Twilio 30003');
    await tx.markOutbox(first[1]!, 'sent');
    await entry('1', 'out', 'invitation', 'first', 1);
    await entry('2', 'in', 'text', '1', 6);
    await entry('3', 'out', 'question', 'q', 6);
    await entry('3', 'in', 'text', 'x', 7);
    await entry('3', 'event', 'flag', 'a text could not be delivered', 8);
  });
  return store;
}

describe('the dashboard queries', () => {
  it('when conversations were invited, answered, completed and flagged, then the funnel counts each stage per instrument', async () => {
    expect((await sqliteDashboardQueries((await study()).db).read()).funnel).toEqual([{ project: 'p', instrument: 'daily', invited: 4, started: 2, completed: 1 }]);
  });

  it('when the invitations are listed, then the newest come first, each with what became of its first text', async () => {
    const invitations = (await sqliteDashboardQueries((await study()).db).read(3)).invitations;
    expect(invitations.map((row) => [row.recordId, row.text?.status ?? null, row.text?.error ?? null])).toEqual([
      ['4', null, null], ['3', 'pending', null], ['2', 'sent', null],
    ]);
  });

  it('when a text failed and a conversation was flagged, then both are problems, newest first', async () => {
    expect((await sqliteDashboardQueries((await study()).db).read()).problems).toEqual([
      { at: at(8), project: 'p', kind: 'conversation', detail: 'a text could not be delivered', conversationId: '3' },
      { at: at(1), project: 'p', kind: 'text', detail: 'Twilio 30003', conversationId: '1' },
    ]);
  });

  it('when the dashboard is read, then no query reads the transcript or the outbox whole (it runs on the HTTP thread)', async () => {
    const plans = plansOf((await study()).db, sqliteDashboardQueries);
    expect(plans.filter((detail) => /^SCAN (transcript|outbox|t|o|x)$/.test(detail))).toEqual([]);
    expect(plans).toEqual(expect.arrayContaining([
      'SCAN transcript USING INDEX transcript_flags',
      expect.stringMatching(/^SEARCH x USING INDEX outbox_texts_by_phone/),
    ]));
  });
});
