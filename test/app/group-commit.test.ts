import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, SqliteStore } from '../../src/adapters/storage/index.js';
import { createGroupCommit, createSharedCommit } from '../../src/adapters/storage/group-commit.js';
import type { UnitOfWork } from '../../src/ports/storage/conversation-store.js';

const NOW = new Date('2026-03-02T15:00:00Z');
const dirs: string[] = [];

/** A store that counts its outermost transactions: the number of fsyncs a batch cost. */
function countingStore(path: string): SqliteStore & { commits: number } {
  const store = Object.assign(new SqliteStore(openDatabase(path, { now: NOW })), { commits: 0 });
  const outermost = store.unit.outermost.bind(store.unit);
  store.unit.outermost = (work) => {
    store.commits += 1;
    return outermost(work);
  };
  return store;
}

function fileStore(): { store: SqliteStore & { commits: number }; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'group-commit-'));
  dirs.push(dir);
  const path = join(dir, 'db.sqlite');
  return { store: countingStore(path), path };
}

const insertInbound = async (tx: UnitOfWork, id: string) => {
  if (id.startsWith('bad')) {
    await tx.insertInbound({ provider: 'test', providerMessageId: id, project: 'p', phone: '+15555550101', receivedAt: NOW.toISOString() });
    throw new Error(`unit ${id} failed`);
  }
  return tx.insertInbound({ provider: 'test', providerMessageId: id, project: 'p', phone: '+15555550101', receivedAt: NOW.toISOString() });
};

const storedIds = (path: string): string[] => {
  const reader = new Database(path, { readonly: true });
  try {
    return (reader.prepare('SELECT provider_message_id AS id FROM inbound_messages ORDER BY id').all() as { id: string }[]).map((r) => r.id);
  } finally {
    reader.close();
  }
};

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('group commit', () => {
  it('when several units arrive in one event-loop turn, then they share one commit and each gets its own result', async () => {
    const { store } = fileStore();
    const submit = createGroupCommit(store, insertInbound);
    const results = await Promise.all(['m1', 'm2', 'm1', 'm3'].map(submit));
    expect(results).toEqual([true, true, false, true]);
    expect(store.commits).toBe(1);
  });

  it('when one unit throws, then only it is rolled back and only its caller gets the error', async () => {
    const { store, path } = fileStore();
    const submit = createGroupCommit(store, insertInbound);
    const settled = await Promise.allSettled(['m1', 'bad2', 'm3'].map(submit));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(storedIds(path)).toEqual(['m1', 'm3']);
  });

  it('when one unit throws, then the others are stored once and answered as if they had run alone', async () => {
    const { store, path } = fileStore();
    const submit = createGroupCommit(store, insertInbound);
    const settled = await Promise.allSettled(['m1', 'm2', 'bad3', 'm1'].map(submit));
    expect(settled).toEqual([
      { status: 'fulfilled', value: true },
      { status: 'fulfilled', value: true },
      { status: 'rejected', reason: new Error('unit bad3 failed') },
      { status: 'fulfilled', value: false },
    ]);
    expect(storedIds(path)).toEqual(['m1', 'm2']);
  });

  it('when a unit catches the failure of a transaction nested in it, then that transaction is still undone', async () => {
    const { store, path } = fileStore();
    const submit = createGroupCommit(store, async (tx, id: string) => {
      try {
        await tx.transaction((nested) => insertInbound(nested, `bad-${id}`));
      } catch {
        // The unit carries on without the nested write, as it would with a savepoint.
      }
      return insertInbound(tx, id);
    });
    await expect(Promise.all(['m1', 'm2'].map(submit))).resolves.toEqual([true, true]);
    expect(storedIds(path)).toEqual(['m1', 'm2']);
  });

  it('when a caller is answered, then its unit is already committed and visible to another connection', async () => {
    const { store, path } = fileStore();
    const submit = createGroupCommit(store, insertInbound);
    const answered = submit('m1').then(() => storedIds(path));
    expect(storedIds(path)).toEqual([]);
    await expect(answered).resolves.toEqual(['m1']);
  });

  it('when units arrive in different turns, then each turn commits on its own', async () => {
    const { store } = fileStore();
    const submit = createGroupCommit(store, insertInbound);
    await submit('m1');
    await submit('m2');
    expect(store.commits).toBe(2);
  });

  it('when different kinds of work arrive in one turn through the shared commit, then they share one commit and each gets its own result', async () => {
    const { store, path } = fileStore();
    const commit = createSharedCommit(store);
    const results = await Promise.all([
      commit((tx) => insertInbound(tx, 'm1')), commit((tx) => tx.isOptedOut('p', '+15555550101')), commit((tx) => insertInbound(tx, 'm1')),
    ]);
    expect(results).toEqual([true, false, false]);
    expect(store.commits).toBe(1);
    expect(storedIds(path)).toEqual(['m1']);
  });
});
