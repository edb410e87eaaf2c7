import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock, sequentialIds } from '../../src/adapters/clock.js';
import { createFakeMosioApi } from '../fakes/fake-mosio-api.js';
import { budgetState, crossesWarning, monthOf } from '../../src/adapters/provider/segment-budget.js';
import { composeService, type Service } from '../../src/composition/service.js';
import { ConfigError } from '../../src/config/config-error.js';
import { loadConfig, MOSIO_DEFAULT_API_BASE_URL } from '../../src/config/env.js';
import { loadProjects } from '../../src/config/projects.js';
import { logCapture } from '../twilio/harness.js';

const KEY = 'mosio-key-0123456789abcdef';
const PHONE = '+16155551234';

/** The single-project environment with no Twilio variables at all. */
function env(overrides: Record<string, string>): Record<string, string> {
  return {
    DATABASE_PATH: ':memory:', PUBLIC_URL: 'https://sms.example.org', ADMIN_TOKEN: 'admin-token-0123456789abcdef',
    REDCAP_API_URL: 'https://redcap.example.org/api/', REDCAP_API_TOKEN: 'REDCAPSECRETTOKEN0000000000000000',
    PHONE_FIELD: 'mobile', TIMEZONE: 'America/New_York', LOG_SALT: 'log-salt-0123456789abcdef', ...overrides,
  };
}

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function service(overrides: Record<string, string>) {
  const fake = createFakeMosioApi({ apiKeys: [KEY] });
  const running = await fake.listen();
  const vars = env({ MOSIO_API_BASE_URL: running.baseUrl, TWILIO_SEND_RATE: '1000', ...overrides });
  const config = loadConfig(vars);
  const logs = logCapture();
  const clock = new FakeClock('2026-03-30T15:00:00.000Z');
  const built: Service = composeService(config, loadProjects(config, vars), { clock, logger: logs.logger, newId: sequentialIds() });
  cleanup.push(() => running.close(), () => built.close());
  const queue = (body: string) =>
    built.conversations.store.enqueue({
      conversationId: null, project: 'default', channel: 'sms', kind: 'question', phone: PHONE, status: 'pending',
      payload: { body }, nextAttemptAt: clock.now().toISOString(), createdAt: clock.now().toISOString(),
    });
  const outbox = () => built.db.prepare(`SELECT status, last_error AS error FROM outbox ORDER BY id`).all();
  return { service: built, fake, logs, clock, http: request(built.app), queue, outbox };
}

describe('SMS_PROVIDER', () => {
  it('mosio: needs MOSIO_API_KEY but no Twilio variable, and defaults to Mosio’s own API', () => {
    expect(() => loadConfig(env({ SMS_PROVIDER: 'mosio' }))).toThrow(ConfigError);
    const config = loadConfig(env({ SMS_PROVIDER: 'mosio', MOSIO_API_KEY: KEY }));
    expect([config.smsProvider, config.mosio.apiBaseUrl]).toEqual(['mosio', MOSIO_DEFAULT_API_BASE_URL]);
    expect(loadProjects(config, {}).byId('default')?.sender.mosio).toEqual({ apiKey: KEY, projectId: 'default' });
  });

  it('twilio stays the default and still needs its credentials', () => {
    expect(() => loadConfig(env({}))).toThrow(/TWILIO_ACCOUNT_SID is required/);
  });

  it('mosio: the service mounts the Mosio webhook instead of Twilio’s and sends through Mosio', async () => {
    const world = await service({ SMS_PROVIDER: 'mosio', MOSIO_API_KEY: KEY, MOSIO_PROJECT_ID: '17' });
    expect((await world.http.post('/webhooks/twilio/sms').type('form').send({ Body: 'x' })).status).toBe(404);
    const reply = await world.http.post('/webhooks/mosio/sms').type('form').send({ ApiKey: KEY, From: PHONE, Body: 'HELP' });
    expect(reply.status).toBe(200);
    await world.service.dispatcher.runOnce();
    expect(world.fake.sends()[0]?.body).toMatchObject({ ProjectId: 17, Phone: '+1 615-555-1234', RedcapUrl: 'https://sms.example.org/webhooks/mosio/sms' });
  });

  it('mosio: the account check runs on demand and shows in /readyz detail', async () => {
    const world = await service({ SMS_PROVIDER: 'mosio', MOSIO_API_KEY: KEY });
    await world.service.sms.checkAccount();
    const readyz = await world.http.get('/readyz');
    expect(readyz.body.detail.provider).toEqual({ name: 'mosio', account: { ok: true, detail: 'default: verified (Active)', checkedAt: '2026-03-30T15:00:00.000Z' } });
    expect(JSON.stringify(readyz.body)).not.toContain(KEY);
  });

  it('simulator: texts land on the simulated handset', async () => {
    const world = await service({ SMS_PROVIDER: 'simulator' });
    await world.queue('Hello');
    await world.service.dispatcher.runOnce();
    expect(await world.outbox()).toEqual([{ status: 'sent', error: null }]);
    expect(world.service.db.prepare('SELECT COUNT(*) AS n FROM simulator_messages').get()).toEqual({ n: 1 });
  });
});

describe('monthly segment budget', () => {
  it('warns at 80%, then refuses past the budget with a reason kept on the text and shown in /readyz', async () => {
    const world = await service({ SMS_PROVIDER: 'mosio', MOSIO_API_KEY: KEY, SMS_MONTHLY_SEGMENT_BUDGET: '5' });
    for (let i = 0; i < 4; i += 1) await world.queue(`Question ${i}`);
    await world.queue('x'.repeat(200)); // two segments: 4 + 2 > 5
    for (let round = 0; round < 5; round += 1) await world.service.dispatcher.runOnce();
    expect(await world.outbox()).toEqual([
      ...Array.from({ length: 4 }, () => ({ status: 'sent', error: null })),
      { status: 'failed', error: 'monthly segment budget reached: 4 of 5 segments used in 2026-03, this text needs 2' },
    ]);
    expect(world.logs.text()).toContain('monthly segment budget 80% used');
    const readyz = await world.http.get('/readyz');
    expect(readyz.body.detail.segmentBudgets).toEqual([{ project: 'default', month: '2026-03', used: 4, budget: 5, state: 'warning' }]);
  });

  it('counts per calendar month in the project’s time zone', async () => {
    const world = await service({ SMS_PROVIDER: 'mosio', MOSIO_API_KEY: KEY, SMS_MONTHLY_SEGMENT_BUDGET: '1' });
    await world.queue('one');
    await world.queue('two');
    await world.service.dispatcher.runOnce();
    await world.service.dispatcher.runOnce();
    expect((await world.http.get('/readyz')).body.detail.segmentBudgets[0].state).toBe('exhausted');
    world.clock.set(new Date('2026-04-01T04:30:00.000Z')); // 00:30 on 1 April in New York
    await world.queue('three');
    await world.service.dispatcher.runOnce();
    expect(await world.outbox()).toEqual([
      { status: 'sent', error: null },
      { status: 'failed', error: 'monthly segment budget reached: 1 of 1 segments used in 2026-03, this text needs 1' },
      { status: 'sent', error: null },
    ]);
  });

  it('rules', () => {
    expect(monthOf(new Date('2026-04-01T03:59:00Z'), 'America/New_York')).toBe('2026-03');
    expect([budgetState(7, 10), budgetState(8, 10), budgetState(10, 10)]).toEqual(['ok', 'warning', 'exhausted']);
    expect([crossesWarning(7, 1, 10), crossesWarning(8, 1, 10), crossesWarning(6, 1, 10)]).toEqual([true, false, false]);
  });
});
