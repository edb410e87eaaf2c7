/**
 * Duplicates and races at the webhook: every delivery twice, old deliveries again out of order, many
 * participants at once, one participant twice in the same millisecond, and timers firing while a reply
 * is being handled. No 5xx, no double step, nothing corrupted, no text to an opted-out number.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { fireDueTimers } from '../../src/use-cases/index.js';
import { drive } from './harness/drive.js';
import { reliabilityScale, writeFigures } from './harness/figures.js';
import {
  accountTexts, corruptConversations, lostInbound, recordMismatches, sendsWhileOptedOut, storedInboundIds, tableCounts,
} from './harness/invariants.js';
import { cohort, questionIn } from './harness/study.js';
import { startWorld, type World } from './harness/world.js';

const SCALE = reliabilityScale();
let world: World | undefined;
const figures = { messages: 0, duplicatesDelivered: 0, outOfOrder: 0, concurrentParticipants: 0, sameMillisecondPairs: 0, timerRaces: 0, lost: 0, duplicateTexts: 0 };

afterEach(async () => {
  await world?.close();
  world = undefined;
  writeFigures('races', figures);
});

const writesOf = (w: World, field: string) =>
  (w.service.db.prepare(`SELECT payload FROM outbox WHERE channel = 'redcap' AND kind = 'write'`).all() as { payload: string }[])
    .filter((row) => field in (JSON.parse(row.payload) as { values: object }).values).length;

describe('when Twilio delivers every webhook twice and replays old ones out of order', () => {
  test('then each text is taken once: same records, same texts, and the replays change no table', async () => {
    const participants = cohort(10 * SCALE);
    world = await startWorld(participants);
    await world.invite(participants);
    const result = await drive(world, participants, { deliveries: 2 });
    await world.drain();
    const before = tableCounts(world.service.db);
    const replays = [...result.posted].reverse().filter((_, i) => i % 2 === 0);
    for (const { sid, phone, body } of replays) expect((await world.text(phone, body, sid)).status).toBe(200);
    await world.drain();

    expect(result.finished).toBe(participants.length);
    expect(tableCounts(world.service.db)).toEqual(before);
    expect(lostInbound(result.acknowledged, storedInboundIds(world.service.db))).toEqual([]);
    expect(before.inbound_messages).toBe(result.posted.length);
    expect(recordMismatches(participants, world.valuesOf)).toEqual([]);
    expect(writesOf(world, 'note')).toBe(participants.length);
    const texts = accountTexts(world.service.db, world.twilio.accepted());
    expect(texts).toMatchObject({ lost: [], unexplained: [], duplicates: 0 });
    expect(sendsWhileOptedOut(world.twilio.sends, result.optOuts)).toEqual([]);
    expect(corruptConversations(world.service.db)).toEqual([]);
    Object.assign(figures, {
      messages: figures.messages + result.posted.length,
      duplicatesDelivered: figures.duplicatesDelivered + result.posted.length + replays.length,
      outOfOrder: figures.outOfOrder + replays.length,
    });
  });
});

describe('when many participants answer at the same moment', () => {
  test('then every answer is acknowledged, each conversation steps once, and no request fails', async () => {
    const participants = cohort(40 * SCALE);
    world = await startWorld(participants);
    await world.invite(participants);
    await world.drain();
    const w = world;
    const responses = await Promise.all(participants.map((p, i) => w.text(p.phone, p.replies[0]!, `SMburst${String(i).padStart(27, '0')}`)));

    expect(responses.map((r) => r.status)).toEqual(participants.map(() => 200));
    expect(writesOf(w, 'mood')).toBe(participants.length);
    await w.drain();
    const asked = w.twilio.accepted().filter((s) => questionIn(s.body) === 1);
    expect(new Set(asked.map((s) => s.to)).size).toBe(participants.length);
    expect(asked.length).toBe(participants.length);
    expect(corruptConversations(w.service.db)).toEqual([]);
    figures.messages += participants.length;
    figures.concurrentParticipants = Math.max(figures.concurrentParticipants, participants.length);
  });
});

describe('when one participant sends two texts in the same millisecond', () => {
  test('then both are stored and taken one after the other, in the order the transcript shows', async () => {
    const participants = cohort(6 * SCALE);
    world = await startWorld(participants);
    await world.invite(participants);
    await world.drain();
    const w = world;
    const responses = await Promise.all(participants.flatMap((p, i) => [
      w.text(p.phone, '2', `SMpairA${String(i).padStart(27, '0')}`),
      w.text(p.phone, '7', `SMpairB${String(i).padStart(27, '0')}`),
    ]));

    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(w.service.db.prepare('SELECT COUNT(*) AS n FROM inbound_messages').get()).toEqual({ n: participants.length * 2 });
    await w.drain();
    for (const p of participants) {
      // Taken in arrival order: "2" then "7" answers mood and sleep; "7" then "2" is a refused mood, then mood 2.
      const order = (w.service.db.prepare(`SELECT t.body FROM transcript t JOIN conversations c ON c.id = t.conversation_id
        WHERE c.phone = ? AND t.direction = 'in' ORDER BY t.id`).all(p.phone) as { body: string }[]).map((row) => row.body);
      expect([...order].sort()).toEqual(['2', '7']);
      const values = w.valuesOf(p.recordId);
      expect(values.mood).toBe('2');
      expect(values.sleep).toBe(order[0] === '2' ? '7' : undefined);
    }
    expect(corruptConversations(w.service.db)).toEqual([]);
    figures.messages += participants.length * 2;
    figures.sameMillisecondPairs += participants.length;
  });
});

describe('when reminders come due while replies are being handled', () => {
  test('then no request fails, a reminder never re-asks an answered question, and every answer lands', async () => {
    const participants = cohort(8 * SCALE);
    world = await startWorld(participants, { reminders: ['PT10M'] });
    await world.invite(participants);
    await world.drain();
    const w = world;
    w.clock.advance(10 * 60_000);
    let fired = 0;
    const responses = await Promise.all(participants.map(async (p, i) => {
      const response = w.text(p.phone, p.replies[0]!, `SMtimer${String(i).padStart(27, '0')}`);
      await Promise.resolve();
      fired += await fireDueTimers(w.service.conversations);
      return response;
    }));
    fired += await fireDueTimers(w.service.conversations);
    await w.drain();

    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(fired).toBeGreaterThan(0);
    for (const p of participants) {
      const texts = w.twilio.accepted().filter((s) => s.to === p.phone).map((s) => questionIn(s.body));
      // After the first Q2 text, nothing asks Q1 again.
      const firstQ2 = texts.indexOf(1);
      expect(firstQ2).toBeGreaterThan(0);
      expect(texts.slice(firstQ2).includes(0)).toBe(false);
      expect(w.valuesOf(p.recordId).mood).toBe(p.replies[0]);
    }
    expect(corruptConversations(w.service.db)).toEqual([]);
    const texts = accountTexts(w.service.db, w.twilio.accepted());
    expect(texts.lost).toEqual([]);
    figures.messages += participants.length;
    figures.timerRaces += fired;
  });
});
