import { describe, expect, it } from 'vitest';
import { openDatabase, RevisionConflict, SqliteStore, type ConversationRow } from '../../src/adapters/storage/index.js';
import { conversationSettings, MACHINE_VERSION, SNAPSHOT_FORMAT, step } from '../../src/conversation/index.js';
import { demoSurvey, START } from '../conversation/demo-survey.js';

const NOW = new Date('2026-03-02T15:00:00Z');
const survey = demoSurvey();

function freshStore(): SqliteStore {
  const store = new SqliteStore(openDatabase(':memory:', { now: NOW }));
  store.saveSurvey(survey, NOW.toISOString());
  return store;
}

function conversationRow(snapshot: unknown): ConversationRow {
  return {
    id: 'c1', project: 'p', phone: START.phone, recordId: '1', instrument: 'daily', surveyVersion: survey.id,
    status: 'asking', open: true, active: true, snapshot, snapshotFormat: SNAPSHOT_FORMAT, machineVersion: MACHINE_VERSION,
    revision: 0, createdAt: NOW.toISOString(), updatedAt: NOW.toISOString(),
  };
}

describe('the SQLite store', () => {
  it('when a snapshot written by the machine is saved and loaded, then it comes back unchanged', () => {
    const store = freshStore();
    const settings = conversationSettings({ reminders: ['PT4H'] });
    const invited = step(survey, null, { type: 'invite', start: START }, NOW, settings);
    const answered = step(survey, invited.snapshot, { type: 'inbound', text: '2' }, NOW, settings);
    store.insertConversation(conversationRow(answered.snapshot));
    const loaded = store.conversation('c1');
    expect(loaded?.snapshot).toEqual(answered.snapshot);
    const resumed = step(survey, loaded?.snapshot, { type: 'inbound', text: '7' }, NOW, settings);
    const direct = step(survey, answered.snapshot, { type: 'inbound', text: '7' }, NOW, settings);
    expect(resumed).toEqual(direct);
  });

  it.each([
    ['twilio', 'SM1', false],
    ['twilio', 'SM2', true],
    ['simulator', 'SM1', true],
  ] as const)('when twilio SM1 was seen and %s %s arrives, then it is new: %s', (provider, id, fresh) => {
    const store = freshStore();
    store.insertInbound({ provider: 'twilio', providerMessageId: 'SM1', project: 'p', phone: '+1', receivedAt: '' });
    expect(store.insertInbound({ provider, providerMessageId: id, project: 'p', phone: '+1', receivedAt: '' })).toBe(fresh);
  });

  it('when the same provider message id arrives twice, then the second insert is refused', () => {
    const store = freshStore();
    const inbound = { provider: 'twilio', providerMessageId: 'SM9', project: 'p', phone: '+1', receivedAt: NOW.toISOString() };
    expect([store.insertInbound(inbound), store.insertInbound(inbound)]).toEqual([true, false]);
  });

  it('when a conversation is saved against an old revision, then the save is refused', () => {
    const store = freshStore();
    const row = conversationRow({});
    store.insertConversation(row);
    store.updateConversation({ ...row, status: 'expired' }, 0);
    expect(() => store.updateConversation({ ...row, status: 'completed' }, 0)).toThrow(RevisionConflict);
    expect(store.conversation('c1')).toMatchObject({ status: 'expired', revision: 1 });
  });

  it('when a phone opts out, then its pending texts are suppressed but REDCap writes and other phones are not', () => {
    const store = freshStore();
    const base = { conversationId: null, project: 'p', kind: 'question', status: 'pending' as const, nextAttemptAt: NOW.toISOString(), createdAt: NOW.toISOString() };
    store.enqueue({ ...base, channel: 'sms', phone: '+1', payload: { body: 'a' } });
    store.enqueue({ ...base, channel: 'sms', phone: '+2', payload: { body: 'b' } });
    store.enqueue({ ...base, channel: 'redcap', phone: null, kind: 'write', payload: { values: {} } });
    store.optOut('p', '+1', NOW.toISOString(), 'keyword');
    expect(store.suppressPendingTexts('p', '+1')).toBe(1);
    // The last row is the opt-out itself, queued for REDCap by migration 0003's trigger.
    expect(store.dueOutbox(NOW.toISOString()).map((row) => [row.channel, row.phone])).toEqual([['sms', '+2'], ['redcap', null], ['redcap', '+1']]);
    expect(store.isOptedOut('p', '+1')).toBe(true);
  });

  it("when two conversations' entries and phone-level ones interleave, then each transcript holds its own, oldest first", () => {
    const store = freshStore();
    store.insertConversation(conversationRow(null));
    store.insertConversation({ ...conversationRow(null), id: 'c2', phone: '+15555550102' });
    const entry = (conversationId: string | null, body: string) =>
      store.appendTranscript({ conversationId, project: 'p', direction: 'in', kind: 'text', body, at: NOW.toISOString() });
    [['c1', 'a1'], ['c2', 'b1'], [null, 'phone'], ['c1', 'a2'], ['c2', 'b2'], ['c1', 'a3']].forEach(([id, body]) => entry(id ?? null, body!));
    expect(store.transcript('c1').map((row) => row.body)).toEqual(['a1', 'a2', 'a3']);
    expect(store.transcript('c2').map((row) => row.body)).toEqual(['b1', 'b2']);
    expect(store.transcript('unknown')).toEqual([]);
  });

  it('when a transcript entry is rolled back, then the conversation still ends at its last stored entry', () => {
    const store = freshStore();
    store.insertConversation(conversationRow(null));
    const entry = (body: string) => store.appendTranscript({ conversationId: 'c1', project: 'p', direction: 'out', kind: 'question', body, at: NOW.toISOString() });
    entry('kept');
    expect(() => store.transaction(() => {
      entry('rolled back');
      throw new Error('the unit failed');
    })).toThrow('the unit failed');
    entry('next');
    expect(store.transcript('c1').map((row) => row.body)).toEqual(['kept', 'next']);
  });
});
