import { describe, expect, it } from 'vitest';
import { openDatabase, RevisionConflict, SqliteStore } from '../../src/adapters/storage/index.js';
import type { ConversationRow } from '../../src/ports/storage/rows.js';
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

describe('the transcript head, kept by the store within a transaction', () => {
  const entry = (store: SqliteStore, body: string, conversationId = 'c1') =>
    store.appendTranscript({ conversationId, project: 'p', direction: 'out', kind: 'question', body, at: NOW.toISOString() });
  const rowsWritten = (store: SqliteStore) => (store.db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
  const storedHead = (store: SqliteStore, id = 'c1') =>
    (store.db.prepare('SELECT last_transcript_id AS head FROM conversations WHERE id = ?').get(id) as { head: number | null }).head;
  const lastEntryId = (store: SqliteStore) => (store.db.prepare('SELECT MAX(id) AS id FROM transcript').get() as { id: number }).id;

  it('when a unit appends three entries and then saves the conversation, then the row is written once and carries the head', () => {
    const store = freshStore();
    const row = conversationRow(null);
    store.insertConversation(row);
    const before = rowsWritten(store);
    store.transaction(() => {
      ['in', 'out', 'event'].forEach((body) => entry(store, body));
      store.updateConversation({ ...row, status: 'completed' }, 0, row);
    });
    expect(rowsWritten(store) - before).toBe(4);
    expect(storedHead(store)).toBe(lastEntryId(store));
    expect(store.transcript('c1').map((entry) => entry.body)).toEqual(['in', 'out', 'event']);
  });

  it('when entries follow the save in the same transaction, then their head is written before the commit', () => {
    const store = freshStore();
    const row = conversationRow(null);
    store.insertConversation(row);
    store.transaction(() => {
      entry(store, 'before the save');
      store.updateConversation(row, 0, row);
      entry(store, 'after the save');
    });
    expect(storedHead(store)).toBe(lastEntryId(store));
    entry(store, 'in the next transaction');
    expect(store.transcript('c1').map((entry) => entry.body)).toEqual(['before the save', 'after the save', 'in the next transaction']);
  });

  it('when a nested transaction that appended fails and the outer one carries on, then its entries and its head are both gone', () => {
    const store = freshStore();
    store.insertConversation(conversationRow(null));
    store.transaction(() => {
      entry(store, 'kept');
      expect(() => store.transaction(() => {
        entry(store, 'rolled back');
        throw new Error('the inner unit failed');
      })).toThrow('the inner unit failed');
      entry(store, 'also kept');
    });
    entry(store, 'later');
    expect(store.transcript('c1').map((entry) => entry.body)).toEqual(['kept', 'also kept', 'later']);
  });

  it('when the store appends inside a transaction it did not open, then the heads are still written in it', () => {
    const store = freshStore();
    store.insertConversation(conversationRow(null));
    store.db.transaction(() => {
      store.transaction(() => entry(store, 'first'));
      store.transaction(() => entry(store, 'second'));
    })();
    expect(storedHead(store)).toBe(lastEntryId(store));
    expect(store.transcript('c1').map((entry) => entry.body)).toEqual(['first', 'second']);
  });

  it('when a transcript is read inside the transaction that appended to it, then it includes the new entries', () => {
    const store = freshStore();
    store.insertConversation(conversationRow(null));
    const read = store.transaction(() => {
      entry(store, 'one');
      entry(store, 'two');
      return store.transcript('c1').map((entry) => entry.body);
    });
    expect(read).toEqual(['one', 'two']);
  });
});
