/**
 * Outages: REDCap answering 500, never answering, and refusing connections for a stretch; Twilio
 * answering 429 and 500. Participants keep texting throughout; after recovery all work completes,
 * nothing is lost, and retries came with a growing backoff.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FAILURES } from '../fakes/fake-twilio-api.js';
import { drive, type DriveResult } from './harness/drive.js';
import { reliabilityScale, writeFigures } from './harness/figures.js';
import {
  accountTexts, backoffViolations, corruptConversations, lostInbound, recordMismatches, sendsWhileOptedOut, storedInboundIds,
} from './harness/invariants.js';
import { cohort } from './harness/study.js';
import { startWorld, type Attempt, type World } from './harness/world.js';

const SCALE = reliabilityScale();
const participants = cohort(8 * SCALE);
let world: World;
let result: DriveResult;
let outages = 0;

/** Attempt times of each key that failed at least once, until its first success. */
function retriedSeries(attempts: readonly Attempt[]): number[][] {
  const byKey = new Map<string, Attempt[]>();
  for (const attempt of attempts) byKey.set(attempt.key, [...(byKey.get(attempt.key) ?? []), attempt]);
  return [...byKey.values()].map((series) => {
    const end = series.findIndex((a) => a.ok);
    return series.slice(0, end === -1 ? series.length : end + 1).map((a) => a.at);
  }).filter((times) => times.length > 1);
}

beforeAll(async () => {
  world = await startWorld(participants);
  await world.invite(participants);
  result = await drive(world, participants, {
    maxRounds: 2_000,
    minRounds: 90,
    stepMs: 1_000,
    async beforeRound(round) {
      // REDCap: three kinds of outage back to back; Twilio: rate limits and errors in between.
      if (round === 1) {
        world.emulator.failNext(6, '500');
        world.twilio.api.failNext(FAILURES.rateLimited, FAILURES.rateLimited, FAILURES.serverError, FAILURES.rateLimited);
        outages += 2;
      }
      if (round === 3) {
        world.emulator.failNext(3, 'timeout');
        world.twilio.api.failNext(FAILURES.serverError, FAILURES.serverError, FAILURES.serverError);
        outages += 2;
      }
      if (round === 6) {
        await world.redcapDown();
        outages += 1;
      }
      if (round === 80) await world.redcapUp();
    },
  });
  // After the surveys end, let every retry land. One shared import takes every fault in turn, so its
  // backoff reaches the 10-minute cap: the drain covers a full hour of the fake clock (it stops when done).
  await world.drain(720, 5_000);
}, 120_000);

afterAll(async () => {
  await world?.close();
});

describe('when REDCap and Twilio fail for stretches while participants text', () => {
  test('then every survey completes and every acknowledged text is stored', () => {
    expect(result.finished).toBe(participants.length);
    expect(lostInbound(result.acknowledged, storedInboundIds(world.service.db))).toEqual([]);
    expect(corruptConversations(world.service.db)).toEqual([]);
  });

  test('then REDCap ends up with every answer and nothing is left pending or failed', () => {
    expect(recordMismatches(participants, world.valuesOf)).toEqual([]);
    const left = world.service.db.prepare(`SELECT channel, status, COUNT(*) AS n FROM outbox WHERE status IN ('pending', 'failed') GROUP BY channel, status`).all();
    expect(left).toEqual([]);
  });

  test('then REDCap writes were retried with a growing backoff from 2 s', () => {
    const series = retriedSeries(world.imports);
    expect(series.length).toBeGreaterThan(0);
    expect(Math.max(...series.map((s) => s.length))).toBeGreaterThanOrEqual(4);
    expect(series.flatMap((times) => backoffViolations(times, 2_000))).toEqual([]);
  });

  test('then refused Twilio sends were retried with a growing backoff, none lost and none to an opted-out number', () => {
    const series = retriedSeries(world.sendAttempts);
    expect(series.length).toBeGreaterThan(0);
    expect(series.flatMap((times) => backoffViolations(times, 1_000))).toEqual([]);
    const texts = accountTexts(world.service.db, world.twilio.accepted());
    expect(texts.lost).toEqual([]);
    expect(texts.unexplained).toEqual([]);
    expect(result.optOuts.length).toBeGreaterThan(0);
    expect(sendsWhileOptedOut(world.twilio.sends, result.optOuts)).toEqual([]);
    const failedImports = world.imports.filter((a) => !a.ok).length;
    const refusedSends = world.twilio.sends.filter((s) => s.status !== 201).length;
    writeFigures('outages', {
      participants: participants.length, outages, messages: result.acknowledged.length,
      failedRedcapAttempts: failedImports, refusedTwilioSends: refusedSends,
      longestRedcapRetrySeries: Math.max(...retriedSeries(world.imports).map((s) => s.length)),
      lost: texts.lost.length, duplicateTexts: texts.duplicates,
    });
  });
});
