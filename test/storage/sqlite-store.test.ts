import { describe, expect, it } from 'vitest';
import { openDatabase, RevisionConflict, SqliteStore } from '../../src/adapters/storage/index.js';
import type { ConversationRow } from '../../src/ports/storage/rows.js';
import type { ConversationStore } from '../../src/ports/storage/conversation-store.js';
import { conversationSettings, MACHINE_VERSION, SNAPSHOT_FORMAT, step } from '../../src/conversation/index.js';
import { demoSurvey, START } from '../conversation/demo-survey.js';

const NOW = new Date('2026-03-02T15:00:00Z');
const survey = demoSurvey();

async function freshStore(): Promise<SqliteStore> {
  const store = new SqliteStore(openDatabase(':memory:', { now: NOW }));
  await store.saveSurvey(survey, NOW.toISOString());
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
  it('when a snapshot written by the machine is saved and loaded, then it comes back unchanged', async () => {
    const store = await freshStore();
    const settings = conversationSettings({ reminders: ['PT4H'] });
    const invited = step(survey, null, { type: 'invite', start: START }, NOW, settings);
    const answered = step(survey, invited.snapshot, { type: 'inbound', text: '2' }, NOW, settings);
    await store.insertConversation(conversationRow(answered.snapshot));
    const loaded = await store.conversation('c1');
    expect(loaded?.snapshot).toEqual(answered.snapshot);
    const resumed = step(survey, loaded?.snapshot, { type: 'inbound', text: '7' }, NOW, settings);
    const direct = step(survey, answered.snapshot, { type: 'inbound', text: '7' }, NOW, settings);
    expect(resumed).toEqual(direct);
  });

  it.each([
    ['twilio', 'SM1', false],
    ['twilio', 'SM2', true],
    ['simulator', 'SM1', true],
  ] as const)('when twilio SM1 was seen and %s %s arrives, then it is new: %s', async (provider, id, fresh) => {
    const store = await freshStore();
    await store.insertInbound({ provider: 'twilio', providerMessageId: 'SM1', project: 'p', phone: '+1', receivedAt: '' });
    expect(await store.insertInbound({ provider, providerMessageId: id, project: 'p', phone: '+1', receivedAt: '' })).toBe(fresh);
  });

  it('when the same provider message id arrives twice, then the second insert is refused', async () => {
    const store = await freshStore();
    const inbound = { provider: 'twilio', providerMessageId: 'SM9', project: 'p', phone: '+1', receivedAt: NOW.toISOString() };
    expect([await store.insertInbound(inbound), await store.insertInbound(inbound)]).toEqual([true, false]);
  });

  it('when a conversation is saved against an old revision, then the save is refused', async () => {
    const store = await freshStore();
    const row = conversationRow({});
    await store.insertConversation(row);
    await store.updateConversation({ ...row, status: 'expired' }, 0);
    await expect(store.updateConversation({ ...row, status: 'completed' }, 0)).rejects.toThrow(RevisionConflict);
    expect(await store.conversation('c1')).toMatchObject({ status: 'expired', revision: 1 });
  });

  it('when a phone opts out, then its pending texts are suppressed but REDCap writes and other phones are not', async () => {
    const store = await freshStore();
    const base = { conversationId: null, project: 'p', kind: 'question', status: 'pending' as const, nextAttemptAt: NOW.toISOString(), createdAt: NOW.toISOString() };
    await store.enqueue({ ...base, channel: 'sms', phone: '+1', payload: { body: 'a' } });
    await store.enqueue({ ...base, channel: 'sms', phone: '+2', payload: { body: 'b' } });
    await store.enqueue({ ...base, channel: 'redcap', phone: null, kind: 'write', payload: { values: {} } });
    await store.optOut('p', '+1', NOW.toISOString(), 'keyword');
    expect(await store.suppressPendingTexts('p', '+1')).toBe(1);
    // The last row is the opt-out itself, queued for REDCap by migration 0003's trigger.
    expect((await store.dueOutbox(NOW.toISOString())).map((row) => [row.channel, row.phone])).toEqual([['sms', '+2'], ['redcap', null], ['redcap', '+1']]);
    expect(await store.isOptedOut('p', '+1')).toBe(true);
  });

  it("when two conversations' entries and phone-level ones interleave, then each transcript holds its own, oldest first", async () => {
    const store = await freshStore();
    await store.insertConversation(conversationRow(null));
    await store.insertConversation({ ...conversationRow(null), id: 'c2', phone: '+15555550102' });
    const entry = (conversationId: string | null, body: string) =>
      store.appendTranscript({ conversationId, project: 'p', direction: 'in', kind: 'text', body, at: NOW.toISOString() });
    for (const [id, body] of [['c1', 'a1'], ['c2', 'b1'], [null, 'phone'], ['c1', 'a2'], ['c2', 'b2'], ['c1', 'a3']]) await entry(id ?? null, body!);
    expect((await store.transcript('c1')).map((row) => row.body)).toEqual(['a1', 'a2', 'a3']);
    expect((await store.transcript('c2')).map((row) => row.body)).toEqual(['b1', 'b2']);
    expect(await store.transcript('unknown')).toEqual([]);
  });

  it('when a transcript entry is rolled back, then the conversation still ends at its last stored entry', async () => {
    const store = await freshStore();
    await store.insertConversation(conversationRow(null));
    const entry = (on: ConversationStore, body: string) => on.appendTranscript({ conversationId: 'c1', project: 'p', direction: 'out', kind: 'question', body, at: NOW.toISOString() });
    await entry(store, 'kept');
    await expect(store.transaction(async (tx) => {
      await entry(tx, 'rolled back');
      throw new Error('the unit failed');
    })).rejects.toThrow('the unit failed');
    await entry(store, 'next');
    expect((await store.transcript('c1')).map((row) => row.body)).toEqual(['kept', 'next']);
  });
});

describe('the transcript head, kept by the store within a transaction', () => {
  const entry = (on: ConversationStore, body: string, conversationId = 'c1') =>
    on.appendTranscript({ conversationId, project: 'p', direction: 'out', kind: 'question', body, at: NOW.toISOString() });
  const rowsWritten = (store: SqliteStore) => (store.db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
  const storedHead = (store: SqliteStore, id = 'c1') =>
    (store.db.prepare('SELECT last_transcript_id AS head FROM conversations WHERE id = ?').get(id) as { head: number | null }).head;
  const lastEntryId = (store: SqliteStore) => (store.db.prepare('SELECT MAX(id) AS id FROM transcript').get() as { id: number }).id;

  it('when a unit appends three entries and then saves the conversation, then the row is written once and carries the head', async () => {
    const store = await freshStore();
    const row = conversationRow(null);
    await store.insertConversation(row);
    const before = rowsWritten(store);
    await store.transaction(async (tx) => {
      for (const body of ['in', 'out', 'event']) await entry(tx, body);
      await tx.updateConversation({ ...row, status: 'completed' }, 0, row);
    });
    expect(rowsWritten(store) - before).toBe(4);
    expect(storedHead(store)).toBe(lastEntryId(store));
    expect((await store.transcript('c1')).map((entry) => entry.body)).toEqual(['in', 'out', 'event']);
  });

  it('when entries follow the save in the same transaction, then their head is written before the commit', async () => {
    const store = await freshStore();
    const row = conversationRow(null);
    await store.insertConversation(row);
    await store.transaction(async (tx) => {
      await entry(tx, 'before the save');
      await tx.updateConversation(row, 0, row);
      await entry(tx, 'after the save');
    });
    expect(storedHead(store)).toBe(lastEntryId(store));
    await entry(store, 'in the next transaction');
    expect((await store.transcript('c1')).map((entry) => entry.body)).toEqual(['before the save', 'after the save', 'in the next transaction']);
  });

  it('when a nested transaction that appended fails and the outer one carries on, then its entries and its head are both gone', async () => {
    const store = await freshStore();
    await store.insertConversation(conversationRow(null));
    await store.transaction(async (tx) => {
      await entry(tx, 'kept');
      await expect(tx.transaction(async (nested) => {
        await entry(nested, 'rolled back');
        throw new Error('the inner unit failed');
      })).rejects.toThrow('the inner unit failed');
      await entry(tx, 'also kept');
    });
    await entry(store, 'later');
    expect((await store.transcript('c1')).map((entry) => entry.body)).toEqual(['kept', 'also kept', 'later']);
  });

  it('when the store appends in units nested in a unit it did not open (the group commit), then the heads are still written in it', async () => {
    const store = await freshStore();
    await store.insertConversation(conversationRow(null));
    await store.transaction(async (tx) => {
      await tx.transaction((nested) => entry(nested, 'first'));
      await tx.transaction((nested) => entry(nested, 'second'));
    });
    expect(storedHead(store)).toBe(lastEntryId(store));
    expect((await store.transcript('c1')).map((entry) => entry.body)).toEqual(['first', 'second']);
  });

  it('when a transcript is read inside the transaction that appended to it, then it includes the new entries', async () => {
    const store = await freshStore();
    await store.insertConversation(conversationRow(null));
    const read = await store.transaction(async (tx) => {
      await entry(tx, 'one');
      await entry(tx, 'two');
      return (await tx.transcript('c1')).map((entry) => entry.body);
    });
    expect(read).toEqual(['one', 'two']);
  });
});
