import { afterEach, describe, expect, it } from 'vitest';
import { mosioPhone } from '../../src/adapters/mosio/index.js';
import { MOSIO_ANSWERS, createFakeMosioApi } from '../fakes/fake-mosio-api.js';
import { PHONE, classicStudy } from '../writeback/harness.js';
import { freshSchemas } from './fresh-storage.js';
import { eventually, startInstances } from './service-instances.js';

/**
 * SMS_PROVIDER=mosio on PostgreSQL, through the real HTTP paths: Mosio's webhook in (posted to one instance
 * or another), the fake Mosio API out, answers written to the REDCap emulator. Mosio sends no message id, so
 * a webhook it repeats is told from a new text by the stored inbound texts (decision 0064).
 */
const MOSIO_KEY = 'mosio-key-0123456789abcdef';
const schema = freshSchemas();
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function onMosio(count: number) {
  const mosio = createFakeMosioApi({ apiKeys: [MOSIO_KEY] });
  const api = await mosio.listen();
  const world = await startInstances(await schema(), classicStudy({ records: [{ record_id: '1', phone: PHONE }] }), count, {
    env: { SMS_PROVIDER: 'mosio', MOSIO_API_BASE_URL: api.baseUrl },
    settings: { sender: { mosio: { apiKey: MOSIO_KEY, projectId: '31' } } },
  });
  close = async () => {
    await world.close();
    await api.close();
  };
  return {
    ...world, mosio,
    /** Mosio posting the participant's text to instance `at`; its JSON answer. */
    async text(at: number, body: string): Promise<{ received: boolean; duplicate: boolean }> {
      const response = await fetch(`${world.instances[at]!.url}/webhooks/mosio/sms`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ MosioAccountId: '777', ApiKey: MOSIO_KEY, From: PHONE, Body: body }).toString(),
      });
      expect(response.status).toBe(200);
      return (await response.json()) as { received: boolean; duplicate: boolean };
    },
    /** What Mosio was asked to send to the participant, oldest first. */
    texts: () => mosio.sends().filter((send) => send.body.Phone === mosioPhone(PHONE)).map((send) => String(send.body.Body)),
  };
}

describe('Mosio on PostgreSQL', () => {
  it('when a participant answers a whole survey through Mosio, then every answer is written back to REDCap and the survey completes', async () => {
    const w = await onMosio(1);
    expect((await w.invite(0, '1', 'daily')).status).toBe(201);
    await eventually(() => w.texts().length === 1, 'the first question is sent through Mosio');

    for (const [index, answer] of ['1', '1,3', '2026-03-09'].entries()) {
      expect(await w.text(0, answer)).toEqual({ received: true, duplicate: false });
      await eventually(() => w.texts().length === index + 2, `the text after answer ${index + 1} is sent`);
    }

    await eventually(() => w.record('1').daily_complete === '2', 'the survey is complete in REDCap');
    expect(w.record('1')).toMatchObject({ mood: '1', symptoms___1: '1', symptoms___2: '0', symptoms___3: '1', visit_date: '2026-03-09' });
  });

  it.each([
    ['to the same instance', [0, 0]],
    ['to a second instance', [0, 1]],
    ['to both instances', [0, 1, 0]],
  ] as const)('when Mosio repeats a webhook %s before anything was sent back, then the repeat is a no-op: the answer stands once, one next question', async (_to, instances) => {
    const w = await onMosio(2);
    await w.invite(0, '1', 'daily');
    await eventually(() => w.texts().length === 1, 'the first question is sent through Mosio');
    // The next question's first send fails, so it is still unsent when Mosio repeats the answer (retried 2 s on).
    w.mosio.answerNext(MOSIO_ANSWERS.serverError);

    const [first, ...repeats] = instances;
    expect(await w.text(first, '2')).toEqual({ received: true, duplicate: false });
    for (const at of repeats) expect(await w.text(at, '2')).toEqual({ received: true, duplicate: true });

    await eventually(() => w.texts().length === 2, 'the next question is sent once Mosio recovers');
    await eventually(() => w.record('1').mood === '2', 'the answer reaches REDCap');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(w.texts()).toHaveLength(2);
    expect(w.record('1').mood).toBe('2');
    expect(w.record('1').symptoms___2).not.toBe('1');
  });

  it('when the same text comes again after the next question was sent, then it is taken as a new answer, on any instance', async () => {
    const w = await onMosio(2);
    await w.invite(0, '1', 'daily');
    await eventually(() => w.texts().length === 1, 'the first question is sent through Mosio');

    expect(await w.text(0, '2')).toEqual({ received: true, duplicate: false });
    await eventually(() => w.texts().length === 2, 'the next question is sent');
    expect(await w.text(1, '2')).toEqual({ received: true, duplicate: false });

    await eventually(() => w.record('1').symptoms___2 === '1', 'the second answer reaches REDCap');
    expect(w.record('1')).toMatchObject({ mood: '2', symptoms___2: '1' });
  });
});
