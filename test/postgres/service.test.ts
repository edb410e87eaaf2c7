import { afterEach, describe, expect, it } from 'vitest';
import { startService } from '../../src/composition/start-service.js';
import { loadConfig } from '../../src/config/env.js';
import { loadProjects } from '../../src/config/projects.js';
import { createFakeMosioApi } from '../fakes/fake-mosio-api.js';
import { baseEnv } from '../http/service-world.js';
import { PHONE, classicStudy } from '../writeback/harness.js';
import { freshSchemas } from './fresh-storage.js';
import { eventually, startInstances } from './service-instances.js';

/**
 * The service on PostgreSQL (DATABASE_URL), through its real HTTP paths: signed Twilio webhooks in, the fake
 * Twilio API out, answers and opt-outs written to the REDCap emulator.
 */
const schema = freshSchemas();
const MOSIO_KEY = 'mosio-key-0123456789abcdef';
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function oneInstance() {
  const world = await startInstances(await schema(), classicStudy({ records: [{ record_id: '1', phone: PHONE }] }), 1);
  close = world.close;
  return world;
}

describe('the service on PostgreSQL', () => {
  it('when a participant answers a whole survey by SMS, then every answer is written back to REDCap and the survey completes', async () => {
    const w = await oneInstance();
    expect((await w.invite(0, '1', 'daily')).status).toBe(201);
    await eventually(() => w.textsTo(PHONE).length === 1, 'the first question is texted');

    for (const [index, answer] of ['1', '1,3', '2026-03-09'].entries()) {
      expect((await w.text(0, PHONE, answer, w.newSid())).status).toBe(200);
      await eventually(() => w.textsTo(PHONE).length === index + 2, `the text after answer ${index + 1} is sent`);
    }

    await eventually(() => w.record('1').daily_complete === '2', 'the survey is complete in REDCap');
    expect(w.record('1')).toMatchObject({ mood: '1', symptoms___1: '1', symptoms___2: '0', symptoms___3: '1', visit_date: '2026-03-09', daily_complete: '2' });
  });

  it('when Twilio retries a webhook (same MessageSid, another body), then the retry is a no-op: the first answer stands, one reply', async () => {
    const w = await oneInstance();
    await w.invite(0, '1', 'daily');
    await eventually(() => w.textsTo(PHONE).length === 1, 'the first question is texted');
    const sid = w.newSid();

    expect((await w.text(0, PHONE, '2', sid)).status).toBe(200);
    expect((await w.text(0, PHONE, '3', sid)).status).toBe(200);
    await eventually(() => w.textsTo(PHONE).length === 2, 'the next question is texted');
    await eventually(() => w.record('1').mood === '2', 'the answer reaches REDCap');

    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(w.textsTo(PHONE)).toHaveLength(2);
    expect(w.record('1').mood).toBe('2');
  });

  it('when the participant texts STOP, then the opt-out is written to REDCap and nothing more is texted to them', async () => {
    const w = await oneInstance();
    await w.invite(0, '1', 'daily');
    await eventually(() => w.textsTo(PHONE).length === 1, 'the first question is texted');

    expect((await w.text(0, PHONE, 'STOP', w.newSid())).status).toBe(200);
    await eventually(() => w.record('1').opted_out___1 === '1', 'the opt-out reaches REDCap');

    expect((await w.invite(0, '1', 'daily')).status).toBe(409);
    expect((await w.text(0, PHONE, '1', w.newSid())).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(w.textsTo(PHONE)).toHaveLength(1);
    expect(w.record('1').opt_out_at).not.toBe('');
  });

  it('when /readyz is asked, then the database and its migrations are checked on PostgreSQL', async () => {
    const w = await oneInstance();

    const response = await w.get(0, '/readyz');

    expect(await response.json()).toMatchObject({ status: 'ready', checks: { database: true, migrations: true, dispatcher: true, accepting: true } });
  });

  it.each(['mosio', 'simulator'])('when SMS_PROVIDER=%s is asked for on PostgreSQL, then the service starts on it and /readyz names it', async (provider) => {
    const mosio = await createFakeMosioApi({ apiKeys: [MOSIO_KEY] }).listen();
    const env = baseEnv({
      DATABASE_URL: await schema(), PORT: '0', SMS_PROVIDER: provider, MOSIO_API_KEY: MOSIO_KEY, MOSIO_API_BASE_URL: mosio.baseUrl, LOG_LEVEL: 'silent',
    });
    const config = loadConfig(env);
    const running = await startService(config, loadProjects(config, env), 'this-thread');
    close = async () => {
      await running.stop();
      await mosio.close();
    };

    const response = await fetch(`${running.url}/readyz`);

    expect(await response.json()).toMatchObject({ checks: { database: true, migrations: true }, detail: { provider: { name: provider, account: { ok: true } } } });
  });
});
