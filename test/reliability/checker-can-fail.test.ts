/**
 * The checkers must be able to fail: each is run against a deliberately broken build and must report
 * the violation. A suite whose invariants could never fire would prove nothing.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { drive } from './harness/drive.js';
import {
  accountTexts, backoffViolations, corruptConversations, lostInbound, recordMismatches, sendsWhileOptedOut, storedInboundIds,
} from './harness/invariants.js';
import { privacyLeaks, sensitiveStrings } from './harness/privacy.js';
import { cohort } from './harness/study.js';
import { startWorld, type World } from './harness/world.js';
import type { SqliteStore } from '../../src/adapters/storage/index.js';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('when the build is broken on purpose, then the checker reports it', () => {
  test('when the store acknowledges an inbound text but drops every fifth, then lostInbound names them', async () => {
    const participants = cohort(4);
    world = await startWorld(participants);
    // The unit of work's handle, where an inbound text is stored.
    const store = (world.service.conversations.store as SqliteStore).unit;
    const insert = store.insertInbound.bind(store);
    let seen = 0;
    store.insertInbound = async (row) => (++seen % 5 === 0 ? true : insert(row));
    await world.invite(participants);
    const result = await drive(world, participants, { maxRounds: 60 });

    const lost = lostInbound(result.acknowledged, storedInboundIds(world.service.db));
    expect(lost.length).toBe(Math.floor(seen / 5));
    expect(lost.length).toBeGreaterThan(0);
  });

  test('when STOP is not recorded and pending texts are not suppressed, then sendsWhileOptedOut catches the text sent after it', async () => {
    const participants = cohort(6).filter((p) => p.stopAfter !== undefined);
    world = await startWorld(participants);
    const store = (world.service.conversations.store as SqliteStore).unit;
    store.optOut = async () => undefined;
    store.suppressPendingTexts = async () => 0;
    await world.invite(participants);
    const result = await drive(world, participants, { maxRounds: 60 });

    expect(result.optOuts.length).toBe(participants.length);
    expect(sendsWhileOptedOut(world.twilio.sends, result.optOuts).length).toBeGreaterThan(0);
  });

  test('when the write-back marks a round of answers sent without importing them, then recordMismatches names the record', async () => {
    const participants = cohort(3);
    world = await startWorld(participants);
    await world.invite(participants);
    const client = world.service.redcap;
    const writer = client.writer.runOnce.bind(client.writer);
    let rounds = 0;
    // The broken build: the second write-back round marks its rows sent without calling REDCap.
    client.writer.runOnce = async () => {
      rounds += 1;
      if (rounds !== 2) return writer();
      world!.service.db.prepare(`UPDATE outbox SET status = 'sent' WHERE channel = 'redcap' AND status = 'pending'`).run();
      return { sent: 0, retried: 0, failed: 0 };
    };
    await drive(world, participants);
    await world.drain();

    expect(recordMismatches(participants, world.valuesOf).length).toBeGreaterThan(0);
  });

  test('when a sender sends every text twice, then accountTexts counts the duplicates; when one never arrives, it counts it lost', async () => {
    const participants = cohort(2);
    world = await startWorld(participants);
    await world.invite(participants);
    await world.drain();
    const accepted = world.twilio.accepted();
    expect(accountTexts(world.service.db, [...accepted, ...accepted]).duplicates).toBe(accepted.length);
    expect(accountTexts(world.service.db, accepted.slice(1)).lost.length).toBe(1);
    expect(accountTexts(world.service.db, [...accepted, { to: '+15550000001', body: 'spam', status: 201, at: 0 }]).unexplained.length).toBe(1);
  });

  test('when a stored snapshot is damaged, then corruptConversations names the conversation', async () => {
    const participants = cohort(2);
    world = await startWorld(participants);
    await world.invite(participants);
    world.service.db.prepare(`UPDATE conversations SET snapshot = json_set(snapshot, '$.value', 'no_such_state') WHERE id = 'conv-0001'`).run();
    world.service.db.prepare(`UPDATE conversations SET snapshot = '{"status":' WHERE id = 'conv-0002'`).run();

    const corrupt = corruptConversations(world.service.db);
    expect(corrupt).toHaveLength(2);
    expect(corrupt[0]).toContain('conv-0001');
  });

  test('when a log line carries a number, a body or a token, then privacyLeaks finds each', () => {
    const participants = cohort(1);
    const needles = sensitiveStrings(participants, ['the-secret-token-0123']);
    const lines = [
      JSON.stringify({ msg: 'inbound text', from: participants[0]!.phone }),
      JSON.stringify({ msg: 'reply', text: participants[0]!.replies[3] }),
      JSON.stringify({ msg: 'config', token: 'the-secret-token-0123' }),
      JSON.stringify({ msg: 'fine', participantKey: 'p_0123456789abcdef0123' }),
    ];
    expect(lines.map((line) => privacyLeaks([line], needles).length > 0)).toEqual([true, true, true, false]);
  });

  test('when retries come at a fixed pace or faster and faster, then backoffViolations reports them', () => {
    expect(backoffViolations([0, 2_000, 6_000, 14_000], 2_000)).toEqual([]);
    expect(backoffViolations([0, 100, 200], 2_000)).toHaveLength(2);
    expect(backoffViolations([0, 8_000, 12_000], 2_000)).toHaveLength(1);
  });
});
