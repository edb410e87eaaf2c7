import { describe, expect, it } from 'vitest';
import { openDatabase, SqliteStore } from '../../src/adapters/storage/index.js';
import { SnapshotCache } from '../../src/adapters/storage/snapshot-cache.js';
import type { ConversationRow } from '../../src/ports/storage/rows.js';
import { MACHINE_VERSION, SNAPSHOT_FORMAT } from '../../src/conversation/index.js';
import { demoSurvey } from '../conversation/demo-survey.js';

const text = (answer: string) => JSON.stringify({ value: 'asking', context: { record: { q1: answer } } });

describe('the snapshot cache', () => {
  const keep = (cache: SnapshotCache, id: string, revision = 1, answer = '1') => {
    const snapshot = JSON.parse(text(answer)) as unknown;
    cache.remember(id, revision, text(answer), snapshot, text(answer).length);
    return snapshot;
  };

  it.each([
    { case: 'the same revision and text again', revision: 1, second: text('1'), same: true },
    { case: 'another text (the conversation moved on)', revision: 1, second: text('2'), same: false },
    { case: 'another revision with the same text (a save that changed answer rows only)', revision: 2, second: text('1'), same: false },
  ])('when a conversation is read with $case, then the kept object comes back only for the same revision and text', ({ revision, second, same }) => {
    const cache = new SnapshotCache();
    const kept = keep(cache, 'c1');
    expect(cache.get('c1', revision, second) === kept).toBe(same);
  });

  it('when a kept snapshot is forgotten (its save was rolled back), then nothing comes back for it', () => {
    const cache = new SnapshotCache();
    keep(cache, 'c1');
    cache.forget('c1');
    expect(cache.get('c1', 1, text('1'))).toBeUndefined();
  });

  it.each([
    { case: 'read last', touched: 'c1', kept: ['c1', 'c3'], dropped: 'c2' },
    { case: 'not read again', touched: null, kept: ['c2', 'c3'], dropped: 'c1' },
  ])('when the budget is spent, then the conversation used longest ago goes first (c1 $case)', ({ touched, kept, dropped }) => {
    const cache = new SnapshotCache(2 * text('1').length);
    const objects = Object.fromEntries(['c1', 'c2'].map((id) => [id, keep(cache, id)]));
    if (touched !== null) cache.get(touched, 1, text('1'));
    objects.c3 = keep(cache, 'c3');
    for (const id of kept) expect(cache.get(id, 1, text('1'))).toBe(objects[id]);
    expect(cache.get(dropped, 1, text('1'))).toBeUndefined();
  });

  it('when one snapshot is larger than the whole budget, then it is kept by no one', () => {
    const cache = new SnapshotCache(10);
    keep(cache, 'c1');
    expect(cache.get('c1', 1, text('1'))).toBeUndefined();
  });
});

describe('the store with the cache', () => {
  const survey = demoSurvey();
  const row = (snapshot: unknown, revision = 0): ConversationRow => ({
    id: 'c1', project: 'p', phone: '+15555550123', recordId: '1', instrument: 'daily', surveyVersion: survey.id, status: 'asking',
    open: true, active: true, snapshot, snapshotFormat: SNAPSHOT_FORMAT, machineVersion: MACHINE_VERSION, revision,
    createdAt: '2026-03-02T15:00:00Z', updatedAt: '2026-03-02T15:00:00Z',
  });

  it('when a save is rolled back, then the conversation reads as stored, not as the save left it in memory', async () => {
    const store = new SqliteStore(openDatabase(':memory:'));
    await store.saveSurvey(survey, '2026-03-02T15:00:00Z');
    await store.insertConversation(row({ value: 'asking', answers: 1 }));
    await expect(store.transaction(async (tx) => {
      await tx.updateConversation(row({ value: 'asking', answers: 2 }), 0);
      throw new Error('the unit of work failed');
    })).rejects.toThrow('the unit of work failed');
    expect((await store.conversation('c1'))?.snapshot).toEqual({ value: 'asking', answers: 1 });
    await store.updateConversation(row({ value: 'asking', answers: 3 }), 0);
    expect((await store.openConversations('p', '+15555550123')).map((open) => open.snapshot)).toEqual([{ value: 'asking', answers: 3 }]);
  });
});
