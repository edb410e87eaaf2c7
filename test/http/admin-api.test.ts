import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ADMIN_TOKEN, PARTICIPANT, serviceWorld } from './service-world.js';

let world: Awaited<ReturnType<typeof serviceWorld>>;
beforeEach(async () => {
  world = await serviceWorld();
});
afterEach(async () => {
  await world.close();
});

const bearer = `Bearer ${ADMIN_TOKEN}`;

describe('admin authentication', () => {
  test.each([
    { case: 'no Authorization header', header: undefined },
    { case: 'a wrong token', header: 'Bearer not-the-admin-token' },
    { case: 'a token that is a prefix of the right one', header: `Bearer ${ADMIN_TOKEN.slice(0, 8)}` },
    { case: 'Basic instead of Bearer', header: `Basic ${ADMIN_TOKEN}` },
  ])('when $case is sent, then every /api route answers 401 with a JSON error', async ({ header }) => {
    for (const [method, path] of [['get', '/api/conversations'], ['get', '/api/opt-outs'], ['post', '/api/invitations']] as const) {
      const call = world.http[method](path);
      const response = await (header === undefined ? call : call.set('Authorization', header));
      expect(response.status).toBe(401);
      expect(response.body.error).toMatch(/admin token/);
    }
  });
});

describe('conversations and opt-outs', () => {
  test('when a conversation exists, then it is listed with its status and no phone number', async () => {
    await world.invite();

    const response = await world.http.get('/api/conversations').set('Authorization', bearer);

    expect(response.status).toBe(200);
    expect(response.body.conversations).toHaveLength(1);
    expect(response.body.conversations[0]).toMatchObject({ project: 'default', recordId: '1', instrument: 'daily', open: true });
    expect(JSON.stringify(response.body)).not.toContain(PARTICIPANT);
  });

  test.each([
    { query: '', redacted: true },
    { query: '?texts=1', redacted: false },
  ])('when a conversation is fetched with "$query", then transcript texts are redacted: $redacted', async ({ query, redacted }) => {
    const { conversationId } = await world.invite();

    const response = await world.http.get(`/api/conversations/${conversationId}${query}`).set('Authorization', bearer);

    expect(response.status).toBe(200);
    const bodies = (response.body.transcript as { body: string }[]).map((entry) => entry.body);
    expect(bodies.length).toBeGreaterThan(0);
    expect(bodies.every((body) => body === '[redacted]')).toBe(redacted);
  });

  test('when the conversation does not exist, then 404 with a JSON error', async () => {
    const response = await world.http.get('/api/conversations/nope').set('Authorization', bearer);

    expect(response.status).toBe(404);
    expect(response.body).toEqual({ error: 'no such conversation' });
  });

  test('when a number opted out, then /api/opt-outs lists it', async () => {
    await world.service.conversations.store.optOut('default', PARTICIPANT, '2026-03-02T15:00:00.000Z', 'keyword');

    const response = await world.http.get('/api/opt-outs').set('Authorization', bearer);

    expect(response.body.optOuts).toEqual([{ project: 'default', phone: PARTICIPANT, optedOutAt: '2026-03-02T15:00:00.000Z', source: 'keyword' }]);
  });
});

describe('POST /api/invitations input checks', () => {
  test.each([
    { case: 'the record is missing', body: { instrument: 'daily' }, message: /record is required/ },
    { case: 'the instrument is not a name', body: { record: '1', instrument: 'Daily Survey' }, message: /instrument must be/ },
    { case: 'the phone is not a phone number', body: { record: '1', instrument: 'daily', phone: '12' }, message: /phone is not a valid/ },
    { case: 'the mode is unknown', body: { record: '1', instrument: 'daily', mode: 'email' }, message: /mode/ },
    { case: 'sendAt has no time zone', body: { record: '1', instrument: 'daily', sendAt: '2026-03-02 10:00' }, message: /sendAt/ },
    { case: 'a field is unknown', body: { record: '1', instrument: 'daily', colour: 'red' }, message: /unknown field\(s\): colour/ },
  ])('when $case, then 400 with the reason', async ({ body, message }) => {
    const response = await world.http.post('/api/invitations').set('Authorization', bearer).send(body);

    expect(response.status).toBe(400);
    expect(response.body.error).toMatch(message);
    expect(world.count('conversations')).toBe(0);
  });

  test('when the body is not valid JSON, then 400 with a clear message and no stack trace', async () => {
    const response = await world.http.post('/api/invitations').set('Authorization', bearer).type('json').send('{"record": ');

    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: 'the request body could not be read' });
  });
});

describe('health', () => {
  test('when the process is up, then /healthz answers 200', async () => {
    const response = await world.http.get('/healthz');

    expect(response.status).toBe(200);
  });

  test.each([
    { case: 'the dispatcher has not started', start: false, status: 503, dispatcher: false },
    { case: 'the dispatcher is running', start: true, status: 200, dispatcher: true },
  ])('when $case, then /readyz answers $status', async ({ start, status, dispatcher }) => {
    if (start) {
      world.service.dispatcher.start();
      await expect.poll(() => world.service.dispatcher.lastBeat()).toBeDefined();
    }

    const response = await world.http.get('/readyz');

    expect(response.status).toBe(status);
    expect(response.body.checks).toEqual({ database: true, migrations: true, dispatcher, accepting: true });
  });

  test('when the service is closing, then /readyz answers 503', async () => {
    world.service.dispatcher.start();
    await world.service.dispatcher.stop();
    const app = world.service.app;
    await world.service.close();
    world.service.close = async () => {};

    const { default: request } = await import('supertest');
    const response = await request(app).get('/readyz');

    expect(response.status).toBe(503);
    expect(response.body.checks.accepting).toBe(false);
  });

  test('when a route does not exist, then 404 JSON', async () => {
    const response = await world.http.get('/nowhere');

    expect(response.status).toBe(404);
    expect(response.body).toEqual({ error: 'not found' });
  });
});
