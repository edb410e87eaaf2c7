import { afterEach, describe, expect, it } from 'vitest';
import { classicStudy } from '../writeback/harness.js';
import { freshSchemas } from './fresh-storage.js';
import { eventually, startInstances } from './service-instances.js';

/**
 * Two services on one PostgreSQL database, as behind a load balancer: any instance takes any webhook. Each
 * participant's texts alternate between them; Twilio's retry of a text goes to the other instance.
 */
const schema = freshSchemas();
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

const PARTICIPANTS = 12;
const phoneOf = (i: number) => `+1650380${String(3400 + i)}`;
/** Answers that differ by participant, so a text applied to the wrong one or twice would show. */
const answersOf = (i: number) => ({ mood: String((i % 3) + 1), symptoms: i % 2 === 0 ? '1,3' : '2', visit_date: `2026-03-${String(10 + (i % 15)).padStart(2, '0')}` });

describe('two service instances on one PostgreSQL database', () => {
  it('when many participants text both instances in turn and every text is retried on the other, then each answer lands once, in order, and no text is doubled', async () => {
    const records = Array.from({ length: PARTICIPANTS }, (_, i) => ({ record_id: String(i + 1), phone: phoneOf(i) }));
    const w = await startInstances(await schema(), classicStudy({ records }), 2);
    close = w.close;
    const everyone = Array.from({ length: PARTICIPANTS }, (_, i) => i);

    await Promise.all(everyone.map(async (i) => expect((await w.invite(i % 2, String(i + 1), 'daily')).status).toBe(201)));
    await eventually(() => everyone.every((i) => w.textsTo(phoneOf(i)).length === 1), 'every participant has the first question');

    await Promise.all(everyone.map(async (i) => {
      const { mood, symptoms, visit_date: date } = answersOf(i);
      for (const [turn, answer] of [mood, symptoms, date].entries()) {
        const sid = w.newSid();
        const at = (i + turn) % 2;
        expect((await w.text(at, phoneOf(i), answer, sid)).status).toBe(200);
        expect((await w.text(1 - at, phoneOf(i), answer, sid)).status).toBe(200); // Twilio's retry, to the other instance
        await eventually(() => w.textsTo(phoneOf(i)).length >= turn + 2, `participant ${i} gets the text after answer ${turn + 1}`);
      }
    }));

    await eventually(() => everyone.every((i) => w.record(String(i + 1)).daily_complete === '2'), 'every survey is complete in REDCap', 20_000);
    await new Promise((resolve) => setTimeout(resolve, 500)); // room for a doubled send to show
    for (const i of everyone) {
      const { mood, symptoms, visit_date } = answersOf(i);
      const checked = (code: string) => (symptoms.split(',').includes(code) ? '1' : '0');
      expect(w.record(String(i + 1))).toMatchObject({ mood, symptoms___1: checked('1'), symptoms___2: checked('2'), symptoms___3: checked('3'), visit_date, daily_complete: '2' });
      const texts = w.textsTo(phoneOf(i));
      expect(texts).toHaveLength(4);
      expect(new Set(texts).size).toBe(4);
    }
  }, 60_000);
});
