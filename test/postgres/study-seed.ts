import type Database from 'better-sqlite3';
import { SqliteDeliveryStore } from '../../src/adapters/delivery/sqlite-delivery-store.js';
import { openDatabase, SqliteStore } from '../../src/adapters/storage/index.js';
import { SqliteRedcapSyncStore } from '../../src/adapters/storage/redcap-sync-store.js';
import type { Survey } from '../../src/dictionary/model.js';
import type { ConversationTarget, NewInvitation } from '../../src/ports/storage/redcap-sync-store.js';
import type { ConversationRow, InboundRow, NewOutboxRow, TimerKind, TranscriptRow } from '../../src/ports/storage/rows.js';
import { demoSurvey } from '../conversation/demo-survey.js';

/**
 * One small study written through a backend's own stores — conversations completed, expired, opted out and
 * open in two projects, texts delivered, failed and pending, REDCap writes refused and pending, a transcript,
 * a flag and an opt-out — for comparing what two backends read back from the same rows.
 */
export const at = (minute: number) => new Date(Date.UTC(2026, 2, 2, 15, minute)).toISOString();
export const NOW = new Date(at(600));
const survey = demoSurvey();

/** What the seed needs of a backend's stores; SQLite's answer at once, PostgreSQL's with promises. */
export interface Stores {
  conversations: {
    saveSurvey(survey: Survey, at: string): unknown;
    insertConversation(row: ConversationRow): unknown;
    enqueue(row: NewOutboxRow): unknown;
    appendTranscript(row: TranscriptRow): unknown;
    optOut(project: string, phone: string, at: string, source: string): unknown;
    insertInbound(row: InboundRow): unknown;
    setTimer(conversationId: string, kind: TimerKind, dueAt: string, revision: number): unknown;
  };
  delivery: {
    markSent(id: number, sid: string, status: string, at: string): unknown;
    recordStatus(sid: string, status: string, errorCode: number | null, at: string): unknown;
    markFailed(id: number, error: string, errorCode: number | null): unknown;
  };
  sync: {
    markFailed(ids: readonly number[], error: string): unknown;
    setTarget(conversationId: string, target: ConversationTarget): unknown;
    addProjectSurvey(project: string, surveyVersion: string, source: 'pull' | 'load', at: string): unknown;
    scheduleInvitation(invitation: NewInvitation): unknown;
    queueTrigger(trigger: { redcapProjectId: string; record: string; instrument: string; event: string | null }, at: string): unknown;
  };
}

function conversation(id: string, phone: string, overrides: Partial<ConversationRow>): ConversationRow {
  return {
    id, project: 'p', phone, recordId: id.slice(1), instrument: 'daily', surveyVersion: survey.id, status: 'asking', open: true,
    active: true, snapshot: { value: 'asking', context: { current: 'mood' } }, snapshotFormat: 1, machineVersion: 1, revision: 0,
    createdAt: at(0), updatedAt: at(0), ...overrides,
  };
}

export async function seedStudy({ conversations, delivery, sync }: Stores): Promise<void> {
  await conversations.saveSurvey(survey, at(0));
  const rows = [
    conversation('c1', '+15551230001', {
      status: 'completed', open: false, updatedAt: at(12),
      snapshot: { value: 'completed', context: { current: 'mood', record: { record_id: '1', mood: '1', daily_complete: '2' }, answered: ['mood'] } },
    }),
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
  await conversations.insertInbound({ provider: 'twilio', providerMessageId: 'SM5', project: 'p', phone: '+15551230001', receivedAt: at(3) });
  await conversations.setTimer('c4', 'reminder', at(240), 0);
  await sync.setTarget('c4', { event: 'week_1_arm_1', repeatInstrument: null, repeatInstance: null });
  await sync.addProjectSurvey('p', survey.id, 'pull', at(0));
  await sync.scheduleInvitation({ project: 'p', recordId: '9', instrument: 'daily', event: '', repeatInstance: 0, mode: 'sms', sendAt: at(60), createdAt: at(8) });
  await sync.queueTrigger({ redcapProjectId: '17', record: '9', instrument: 'daily', event: null }, at(9));
}


/** A SQLite database in memory holding the study. */
export async function seededSqlite(): Promise<Database.Database> {
  const db = openDatabase(':memory:', { now: NOW });
  await seedStudy({ conversations: new SqliteStore(db), delivery: new SqliteDeliveryStore(db), sync: new SqliteRedcapSyncStore(db) });
  return db;
}
