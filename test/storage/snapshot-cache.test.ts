import { describe, expect, it } from 'vitest';
import { openDatabase, SqliteStore } from '../../src/adapters/storage/index.js';
import { SnapshotCache } from '../../src/adapters/storage/snapshot-cache.js';
import type { ConversationRow } from '../../src/ports/storage/rows.js';
import { MACHINE_VERSION, SNAPSHOT_FORMAT } from '../../src/conversation/index.js';
import { demoSurvey } from '../conversation/demo-survey.js';

const text = (answer: string) => JSON.stringify({ value: 'asking', context: { record: { q1: answer } } });

describe('the snapshot cache', () => {
  it.each([
    { case: 'the same text again', second: text('1'), same: true },
    { case: 'another text (the conversation moved on, or a save was rolled back)', second: text('2'), same: false },
  ])('when a conversation is read with $case, then the same object comes back only for the same text', ({ second, same }) => {
    const cache = new SnapshotCache();
    const first = cache.parse('c1', text('1'));
    const again = cache.parse('c1', second);
    expect(again === first).toBe(same);
    expect(again).toEqual(JSON.parse(second));
  });

  it('when a snapshot was just saved, then reading its text gives back the saved object without a parse', () => {
    const cache = new SnapshotCache();
    const saved = { value: 'asking' };
    cache.remember('c1', JSON.stringify(saved), saved);
    expect(cache.parse('c1', JSON.stringify(saved))).toBe(saved);
  });

  it.each([
    { case: 'read last', touched: 'c1', kept: ['c1', 'c3'], dropped: 'c2' },
    { case: 'not read again', touched: null, kept: ['c2', 'c3'], dropped: 'c1' },
  ])('when the budget is spent, then the conversation used longest ago goes first (c1 $case)', ({ touched, kept, dropped }) => {
    const size = text('1').length;
    const cache = new SnapshotCache(2 * size);
    const objects = Object.fromEntries(['c1', 'c2'].map((id) => [id, cache.parse(id, text('1'))]));
    if (touched !== null) cache.parse(touched, text('1'));
    objects.c3 = cache.parse('c3', text('1'));
    for (const id of kept) expect(cache.parse(id, text('1'))).toBe(objects[id]);
    expect(cache.parse(dropped, text('1'))).not.toBe(objects[dropped]);
  });

  it('when one snapshot is larger than the whole budget, then it is parsed every time and kept by no one', () => {
    const cache = new SnapshotCache(10);
    expect(cache.parse('c1', text('1'))).not.toBe(cache.parse('c1', text('1')));
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
