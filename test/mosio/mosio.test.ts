import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { InboundRepeats } from '../../src/adapters/mosio/index.js';
import { SqliteInboundHistory } from '../../src/adapters/storage/inbound-history.js';
import { SqliteStore, openDatabase } from '../../src/adapters/storage/index.js';
import { MOSIO_ANSWERS } from '../fakes/fake-mosio-api.js';
import { mosioPhone } from '../../src/adapters/mosio/mosio-sender.js';
import { MOSIO_KEY, OTHER_KEY, PARTICIPANT, INBOUND_URL, mosioProject, mosioWorld, type MosioWorld } from './harness.js';

let world: MosioWorld;
afterEach(async () => world.close());

describe('Mosio outbound (redcap_send_sms)', () => {
  it('posts JSON with Basic auth (API key as user, empty password) and the fields REDCap sends', async () => {
    world = await mosioWorld();
    const id = await world.queueText('How is your mood today?');
    await world.dispatchAll();
    expect(world.fake.requests).toHaveLength(1);
    const [sent] = world.fake.requests;
    expect(sent?.endpoint).toBe('redcap_send_sms');
    expect(sent?.auth).toEqual({ user: MOSIO_KEY, password: '' });
    expect(sent?.body).toEqual({ RedcapUrl: INBOUND_URL, ProjectId: 42, Phone: '+1 615-555-1234', Body: 'How is your mood today?' });
    expect(await world.outbox()).toEqual([{ id, status: 'sent', error: null }]);
  });

  it.each([
    ['Success 0', 'failed', MOSIO_ANSWERS.refused, 'Mosio refused the text: Phone number is not valid'],
    ['Success 0 naming the number', 'failed', { status: 200, body: { Success: 0, ErrorMessage: `${PARTICIPANT} is not valid` } }, 'Mosio refused the text: [number] is not valid'],
    ['Success 1 with an ErrorMessage', 'failed', MOSIO_ANSWERS.successWithError, 'Mosio refused the text: Account suspended'],
    ['HTTP 401', 'failed', MOSIO_ANSWERS.unauthorised, 'Mosio refused the API key (HTTP 401)'],
    ['HTTP 500', 'pending', MOSIO_ANSWERS.serverError, 'Mosio HTTP 500'],
  ])('%s: the text is %s with a clear reason', async (_name, status, answer, error) => {
    world = await mosioWorld();
    const id = await world.queueText('Hello');
    world.fake.answerNext(answer);
    await world.dispatcher.runOnce();
    expect(await world.outbox()).toEqual([{ id, status, error }]);
    expect(world.logs.text()).not.toContain(PARTICIPANT);
    expect(world.logs.text()).not.toContain(MOSIO_KEY);
  });

  it('a retried text goes out once Mosio recovers', async () => {
    world = await mosioWorld();
    await world.queueText('Hello');
    world.fake.answerNext(MOSIO_ANSWERS.serverError);
    await world.dispatcher.runOnce();
    world.clock.advance(60_000);
    await world.dispatchAll();
    expect(world.fake.sends()).toHaveLength(1);
    expect((await world.outbox())[0]?.status).toBe('sent');
  });

  it('formats numbers as REDCap does for Mosio', () => {
    expect(mosioPhone('+16155551234')).toBe('+1 615-555-1234');
    expect(mosioPhone('+447700900123')).toBe('+44 7700 900123');
  });
});

describe('Mosio account verification (redcap_verification)', () => {
  it('verifies the key and tells Mosio where replies go', async () => {
    world = await mosioWorld();
    const status = await world.provider.checkAccount();
    expect(status).toMatchObject({ ok: true, detail: 'study: verified (Active)' });
    expect(world.fake.requests[0]).toEqual({
      endpoint: 'redcap_verification', auth: { user: MOSIO_KEY, password: '' },
      body: { RedcapUrl: INBOUND_URL, ProjectId: 42, ProjectName: 'study' },
    });
  });

  it('reports a refused key without naming it', async () => {
    const project = mosioProject('study', { sender: { ...mosioProject().sender, mosio: { apiKey: OTHER_KEY, projectId: '42' } } });
    world = await mosioWorld({ project });
    const status = await world.provider.checkAccount();
    expect(status.ok).toBe(false);
    expect(status.detail).toBe('study: Mosio refused the verification (HTTP 401)');
  });
});

describe('POST /webhooks/mosio/sms', () => {
  it('takes a text with the right API key into the conversation engine', async () => {
    world = await mosioWorld();
    const reply = await world.inbound('HELP');
    expect(reply.status).toBe(200);
    expect(world.count('inbound_messages')).toBe(1);
    await world.dispatchAll();
    expect(world.fake.sends()).toHaveLength(1);
  });

  it.each([
    ['a wrong API key', { ApiKey: OTHER_KEY }],
    ['a key differing in one character', { ApiKey: `${MOSIO_KEY.slice(0, -1)}x` }],
    ['no API key', { ApiKey: '' }],
  ])('refuses %s with 403 and stores nothing', async (_name, fields) => {
    world = await mosioWorld();
    const reply = await world.inbound('1', fields);
    expect(reply.status).toBe(403);
    expect([world.count('inbound_messages'), world.count('transcript'), world.count('outbox')]).toEqual([0, 0, 0]);
  });

  it.each([
    ['no From', { From: '' }],
    ['a From that is not a phone number', { From: 'not-a-number' }],
  ])('answers 400 for %s and stores nothing', async (_name, fields) => {
    world = await mosioWorld();
    const reply = await world.inbound('1', fields);
    expect(reply.status).toBe(400);
    expect(reply.body.error).toMatch(/^not a Mosio SMS webhook: From/);
    expect([world.count('inbound_messages'), world.count('transcript')]).toEqual([0, 0]);
  });

  it('accepts a national From as a North American number', async () => {
    world = await mosioWorld();
    expect((await world.inbound('HELP', { From: '615-555-1234' })).status).toBe(200);
    const row = world.db.prepare('SELECT phone FROM inbound_messages').get() as { phone: string };
    expect(row.phone).toBe(PARTICIPANT);
  });

  it('ignores an identical text within the window while nothing was sent in between', async () => {
    world = await mosioWorld();
    await world.inbound('HELP');
    world.clock.advance(30_000);
    const again = await world.inbound('HELP');
    expect(again.body).toEqual({ received: true, duplicate: true });
    expect(world.count('inbound_messages')).toBe(1);
  });

  it('takes the same text again once a text was sent to the phone (a repeated answer, not a retry)', async () => {
    world = await mosioWorld();
    await world.inbound('HELP');
    await world.dispatchAll();
    world.clock.advance(10_000);
    expect((await world.inbound('HELP')).body).toEqual({ received: true, duplicate: false });
    expect(world.count('inbound_messages')).toBe(2);
  });

  it('takes the same text again after the window', async () => {
    world = await mosioWorld();
    await world.inbound('HELP');
    world.clock.advance(2 * 60_000 + 1);
    expect((await world.inbound('HELP')).body.duplicate).toBe(false);
  });

  it('when the repeat check reads a read-only connection (the HTTP thread beside the engine thread), then it sees what the engine committed', async () => {
    world = await mosioWorld();
    const dir = mkdtempSync(join(tmpdir(), 'redcap-sms-mosio-'));
    const engine = openDatabase(join(dir, 'sms.db'), { now: world.clock.now() });
    const reader = new Database(join(dir, 'sms.db'), { readonly: true, fileMustExist: true });
    try {
      const repeats = new InboundRepeats(new SqliteInboundHistory(reader));
      const text = { project: 'study', phone: PARTICIPANT, body: 'HELP' };
      expect(await repeats.isRepeat(text, world.clock.now())).toBe(false);
      await new SqliteStore(engine).insertInbound({
        provider: 'mosio', providerMessageId: repeats.syntheticId(text, world.clock.now()), project: 'study', phone: PARTICIPANT,
        receivedAt: world.clock.now().toISOString(),
      });
      expect(await repeats.isRepeat(text, new Date(world.clock.now().getTime() + 30_000))).toBe(true);
    } finally {
      reader.close();
      engine.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('never logs the key, the number or the text', async () => {
    world = await mosioWorld();
    await world.inbound('my secret answer');
    await world.inbound('x', { ApiKey: OTHER_KEY });
    // The number in any of its forms; a bare "615" also matched log timestamps (epoch ms) now and then.
    expect(world.logs.text()).not.toMatch(new RegExp(`${MOSIO_KEY}|${OTHER_KEY}|615\\D?555\\D?1234|5551234|my secret answer`));
  });
});
