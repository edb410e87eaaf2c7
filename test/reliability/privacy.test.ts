/**
 * Privacy: the logs of a full run (surveys, STOP/START, a REDCap outage, refused Twilio sends, bad
 * requests) hold no phone number, message body, answer or token; the admin API refuses missing and
 * wrong tokens; a webhook with a bad signature stores nothing.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FAILURES } from '../fakes/fake-twilio-api.js';
import { drive } from './harness/drive.js';
import { writeFigures } from './harness/figures.js';
import { tableCounts } from './harness/invariants.js';
import { assertLogsArePrivate } from './harness/privacy.js';
import { ADMIN_TOKEN, AUTH_TOKEN, LOG_SALT, REDCAP_TOKEN, cohort } from './harness/study.js';
import { SMS_WEBHOOK, inboundParams, signedParams, startWorld, type World } from './harness/world.js';

const participants = cohort(6);
let world: World;

beforeAll(async () => {
  world = await startWorld(participants);
  await world.invite(participants);
  world.twilio.api.failNext(FAILURES.rateLimited, FAILURES.serverError, FAILURES.invalidTo);
  world.emulator.failNext(4, '500');
  await drive(world, participants);
  await world.drain();
  // Requests that log warnings or errors: unknown number, malformed form, bad JSON on the admin API.
  const stranger = inboundParams('SMstranger', participants[0]!.phone, 'hello from nowhere');
  await world.http.post(SMS_WEBHOOK).type('form').set('X-Twilio-Signature', signedParams({ ...stranger, To: '+15559999999' })).send({ ...stranger, To: '+15559999999' });
  await world.http.post('/api/invitations').set('Authorization', `Bearer ${ADMIN_TOKEN}`).type('json').send('{"record": ');
});

afterAll(async () => {
  await world?.close();
});

describe('when a full run is logged at trace level', () => {
  test('then no phone number, message body, answer or secret appears in any line', () => {
    expect(world.logs.length).toBeGreaterThan(50);
    assertLogsArePrivate(world.logs, participants, [AUTH_TOKEN, ADMIN_TOKEN, REDCAP_TOKEN, LOG_SALT]);
    writeFigures('privacy', { logLines: world.logs.length, leaks: 0 });
  });
});

describe('when the admin API is called without the right token', () => {
  test.each([
    { case: 'no Authorization header', header: undefined },
    { case: 'an empty bearer', header: 'Bearer ' },
    { case: 'a wrong token', header: 'Bearer not-the-admin-token-0123456789' },
    { case: 'the token with one character changed', header: `Bearer ${ADMIN_TOKEN.slice(0, -1)}x` },
    { case: 'the token as Basic auth', header: `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}` },
    { case: 'the Twilio auth token', header: `Bearer ${AUTH_TOKEN}` },
  ])('then $case is refused with 401 on every route and nothing changes', async ({ header }) => {
    const before = tableCounts(world.service.db);
    for (const [method, path] of [['get', '/api/conversations'], ['get', '/api/conversations/conv-0001'], ['get', '/api/opt-outs'],
      ['get', '/api/projects/study'], ['post', '/api/projects/study/dictionary/refresh'], ['post', '/api/invitations']] as const) {
      const call = world.http[method](path);
      const response = await (header === undefined ? call : call.set('Authorization', header)).send(method === 'post' ? { record: '1', instrument: 'daily' } : undefined);
      expect(response.status, `${method} ${path}`).toBe(401);
      expect(JSON.stringify(response.body)).not.toContain('+1650');
    }
    expect(tableCounts(world.service.db)).toEqual(before);
  });
});

describe('when an inbound webhook has a bad signature', () => {
  test.each([
    { case: 'no signature', sign: () => undefined },
    { case: 'a signature of other parameters', sign: (p: Record<string, string>) => signedParams({ ...p, Body: 'other' }) },
    { case: 'a signature for another URL', sign: (p: Record<string, string>) => signedParams(p, '/webhooks/twilio/status') },
  ])('then $case is refused and stores nothing', async ({ sign }) => {
    const params = inboundParams('SMbadsignature000000000000000001', participants[1]!.phone, 'STOP');
    const before = tableCounts(world.service.db);
    const signature = sign(params);
    const call = world.http.post(SMS_WEBHOOK).type('form');
    const response = await (signature === undefined ? call : call.set('X-Twilio-Signature', signature)).send(params);
    expect([400, 403]).toContain(response.status);
    expect(tableCounts(world.service.db)).toEqual(before);
  });
});
