import { afterEach, describe, expect, test } from 'vitest';
import { createLogger } from '../../src/adapters/logging/logger.js';
import { createRedcapClient } from '../../src/adapters/redcap/index.js';
import { SqliteRedcapSyncStore } from '../../src/adapters/storage/redcap-sync-store.js';
import { createRedcapWriter, GROUPS_PER_IMPORT, WRITE_CLAIM_MS } from '../../src/loops/redcap-write-back.js';
import type { RedcapClient } from '../../src/ports/redcap/index.js';
import { classicStudy, startWorld, type World } from './harness.js';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const participants = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ recordId: String(i + 1), phone: `+1650380${String(3400 + i).padStart(4, '0')}` }));

/** Invites every participant to `daily` through the invitation loop; returns each record's conversation. */
async function inviteAll(w: World, people: readonly { recordId: string }[]): Promise<Map<string, string>> {
  const now = w.clock.now().toISOString();
  for (const { recordId } of people) {
    await w.redcap.sync.scheduleInvitation({ project: 'study', recordId, instrument: 'daily', event: '', repeatInstance: 0, mode: 'sms', sendAt: now, createdAt: now });
  }
  // A round sends a limited number of invitations; these tests want every participant invited.
  const waiting = async () => (await w.redcap.sync.invitations('study')).some((invitation) => invitation.status === 'pending');
  for (let round = 0; round < 5 && (await waiting()); round += 1) await w.redcap.sendDueInvitations();
  expect(await waiting()).toBe(false);
  return new Map((await w.redcap.sync.invitations('study')).map((invitation) => [invitation.recordId, invitation.conversationId!]));
}

const imports = (w: World, mark: number) => w.requestsSince(mark).filter((request) => request.content === 'record');

describe('the write-back puts many participants in one REDCap import', () => {
  test('when several participants answer before a round, then one import carries all their answers', async () => {
    const people = participants(5);
    world = await startWorld(classicStudy({ records: people.map(({ recordId, phone }) => ({ record_id: recordId, phone })) }));
    await inviteAll(world, people);
    for (const { phone } of people) await world.reply('2', phone);
    const mark = world.emulator.state.requests.length;

    await world.redcap.writer.runOnce();

    expect(imports(world, mark)).toEqual([expect.objectContaining({ status: 200 })]);
    for (const { recordId } of people) expect(world.records(recordId)).toContainEqual(expect.objectContaining({ mood: '2', daily_complete: '0' }));
  });

  test(`when more than ${GROUPS_PER_IMPORT} records have answers waiting, then they go ${GROUPS_PER_IMPORT} to an import`, async () => {
    const people = participants(GROUPS_PER_IMPORT + 5);
    world = await startWorld(classicStudy({ records: people.map(({ recordId, phone }) => ({ record_id: recordId, phone })) }));
    await inviteAll(world, people);
    for (const { phone } of people) await world.reply('1', phone);
    const mark = world.emulator.state.requests.length;

    const report = await world.redcap.writer.runOnce();

    expect(imports(world, mark).map((request) => request.status)).toEqual([200, 200]);
    expect(report).toEqual({ sent: GROUPS_PER_IMPORT + 5, retried: 0, failed: 0 });
  });

  test('when an import ends after half of the round\'s claim, then the round starts no other, and the next round imports the rest at once (released, not left claimed)', async () => {
    const people = participants(GROUPS_PER_IMPORT + 5);
    world = await startWorld(classicStudy({ records: people.map(({ recordId, phone }) => ({ record_id: recordId, phone })) }));
    await inviteAll(world, people);
    for (const { phone } of people) await world.reply('1', phone);
    const w = world;
    const client = createRedcapClient({ url: w.project.redcap.url, token: w.project.redcap.token, retries: 0, timeoutMs: 2_000 });
    const slowImports: RedcapClient = {
      ...client,
      async importRecords(rows, options) {
        const count = await client.importRecords(rows, options);
        w.clock.advance(WRITE_CLAIM_MS / 2); // as if REDCap had taken five minutes to answer
        return count;
      },
    };
    const writer = createRedcapWriter({
      store: w.conversations.store, sync: new SqliteRedcapSyncStore(w.db), projects: ['study'], redcap: () => slowImports,
      clock: w.clock, logger: createLogger({ level: 'silent' }),
    });

    expect(await writer.runOnce()).toMatchObject({ sent: GROUPS_PER_IMPORT });
    expect(await writer.runOnce()).toMatchObject({ sent: 5 });
  });

  test('when REDCap refuses a shared import, then each record is tried alone: the valid ones land and only the refused one is kept as failed', async () => {
    const people = participants(3);
    world = await startWorld(classicStudy({ records: people.map(({ recordId, phone }) => ({ record_id: recordId, phone })) }));
    const conversations = await inviteAll(world, people);
    for (const { phone } of people) await world.reply('3', phone);
    // A value REDCap no longer accepts for record 2 (its choices changed after the survey was loaded).
    const at = world.clock.now().toISOString();
    await world.conversations.store.enqueue({
      conversationId: conversations.get('2')!, project: 'study', channel: 'redcap', kind: 'write', phone: null,
      payload: { record: '2', instrument: 'daily', values: { mood: '9' } }, status: 'pending', nextAttemptAt: at, createdAt: at,
    });
    const mark = world.emulator.state.requests.length;

    const report = await world.redcap.writer.runOnce();

    expect(imports(world, mark).map((request) => request.status)).toEqual([400, 200, 400, 200]);
    expect(report).toMatchObject({ sent: 2, failed: 2, retried: 0 });
    expect(world.records('1')).toContainEqual(expect.objectContaining({ mood: '3' }));
    expect(world.records('3')).toContainEqual(expect.objectContaining({ mood: '3' }));
    expect(world.records('2')).not.toContainEqual(expect.objectContaining({ mood: expect.any(String) }));
    const failed = world.db.prepare(`SELECT conversation_id AS id FROM outbox WHERE channel = 'redcap' AND status = 'failed'`).all();
    expect(failed).toEqual([{ id: conversations.get('2') }, { id: conversations.get('2') }]);
  });
});

describe('REDCap down while many participants answer', () => {
  test('when nothing landed in a round, then the loop sends nothing more until the earliest retry is due, whoever answers meanwhile', async () => {
    const people = participants(2);
    world = await startWorld(classicStudy({ records: people.map(({ recordId, phone }) => ({ record_id: recordId, phone })) }));
    await inviteAll(world, people);
    await world.reply('2', people[0]!.phone);
    world.emulator.failNext(100);
    const mark = world.emulator.state.requests.length;

    await world.redcap.writer.round();
    await world.reply('2', people[1]!.phone);
    for (let nudge = 0; nudge < 5; nudge += 1) await world.redcap.writer.round();
    // A refused request (HTTP 500) is counted whatever it asked for.
    const requests = () => world!.requestsSince(mark).length;
    const whileResting = requests();
    world.clock.advance(2_000);
    await world.redcap.writer.round();

    expect([whileResting, requests()]).toEqual([1, 2]);
  });
});
