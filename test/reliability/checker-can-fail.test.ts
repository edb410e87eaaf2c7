/**
 * The checkers must be able to fail: each is run against a deliberately broken build and must report
 * the violation. A suite whose invariants could never fire would prove nothing.
 */
import { afterEach, describe, expect, it, test } from 'vitest';
import { drive } from './harness/drive.js';
import {
  accountSendsAcrossKills, accountTexts, backoffViolations, corruptConversations, lostInbound, rateViolations, recordMismatches,
  sendsWhileOptedOut, storedInboundIds,
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

  describe('the sender rate at the provider (5 a second, a burst of 5, 20 ms of spread)', () => {
    const bound = { ratePerSecond: 5, burst: 5, toleranceMs: 20 };
    const sends = (from: string, times: readonly number[]) => times.map((at) => ({ to: '+15550000001', body: 'Q', status: 201, at, from }));
    const every = (gapMs: number, count: number, start = 0) => Array.from({ length: count }, (_, i) => start + i * gapMs);

    it.each([
      ['a burst of 5, then one every 200 ms', [...every(0, 5), ...every(200, 20, 200)], 0],
      ['two senders, each at its rate, together twice as fast', null, 0],
      ['one text every 150 ms', every(150, 30), 1],
      ['a burst of 6', every(0, 6), 1],
      ['ten texts in the same millisecond, in the middle of a paced run', [...every(200, 10), ...every(0, 10, 2_100), ...every(200, 10, 2_200)], 1],
    ] as const)('when the receive log holds %s, then rateViolations reports %i sender(s)', (_case, times, violations) => {
      const log = times === null ? [...sends('+15550009000', every(200, 20)), ...sends('+15550009001', every(200, 20, 100))] : sends('+15550009000', times);
      expect(rateViolations(log, bound)).toHaveLength(violations);
    });

    it('when one sender is too fast, then the report names its worst stretch and what was allowed', () => {
      expect(rateViolations(sends('+15550009000', every(100, 20)), bound)).toEqual([
        'sender …9000: 20 texts arrived within 1900 ms from 1970-01-01T00:00:00.000Z, where 5/s with a burst of 5 allows 14 (20 ms of spread allowed); 11 stretch(es) held too many',
      ]);
    });
  });

  describe('texts sent twice, by the SID each send was answered with, against the kills', () => {
    const send = (sid: string, at: number, via: string) => ({ to: '+15550000001', body: 'Q2', status: 201, at, sid, via, from: '+15550009000' });
    const kill = { instance: 'i1', startedAt: 0, at: 1_000 };

    it('when the killed instance sent a text it never marked, and another sent it again, then it is one repeat, explained', () => {
      const account = accountSendsAcrossKills([send('SM1', 990, 'i1'), send('SM2', 5_000, 'i0')], new Set(['SM2']), [kill]);
      expect(account).toMatchObject({ marked: 1, repeats: 1, unexplained: [], invented: [], windowMs: 10 });
    });

    it.each([
      ['a live instance sent a text twice', [send('SM1', 990, 'i0'), send('SM2', 5_000, 'i0')]],
      ['the killed instance sent it after its kill (its new life)', [send('SM1', 1_500, 'i1'), send('SM2', 5_000, 'i0')]],
    ])('when %s, then the repeat is unexplained', (_case, accepted) => {
      expect(accountSendsAcrossKills(accepted, new Set(['SM2']), [kill]).unexplained).toHaveLength(1);
    });

    it('when an outbox text is marked sent with a SID Twilio never answered, then it is reported', () => {
      expect(accountSendsAcrossKills([send('SM1', 10, 'i0')], new Set(['SM1', 'SM9']), []).invented).toHaveLength(1);
    });
  });
});
