import express from 'express';
import request from 'supertest';
import { describe, expect, test } from 'vitest';
import { HttpError } from '../../src/adapters/http/http-error.js';
import { answeringFirst, requestUrl, sendJson, type PlainRoute } from '../../src/adapters/http/plain-routes.js';
import { logCapture } from '../twilio/harness.js';

/** An express app with one express route, and one plain route whose handler does what `behaviour` says. */
function appWith(behaviour: 'answer' | 'refuse' | 'fail') {
  const logs = logCapture();
  const route: PlainRoute = {
    method: 'POST', path: '/webhooks/example/sms',
    handle: async (req, res) => {
      if (behaviour === 'refuse') throw new HttpError(403, 'invalid key');
      if (behaviour === 'fail') throw new Error('the disk is full');
      sendJson(res, 200, { answeredBy: 'plain route', url: requestUrl(req), express: 'locals' in res });
    },
  };
  const app = express();
  app.get('/webhooks/example/sms', (_req, res) => void res.json({ answeredBy: 'express' }));
  app.post('/other', (_req, res) => void res.json({ answeredBy: 'express' }));
  app.use((_req, res) => void res.status(404).json({ error: 'not found' }));
  return { app: answeringFirst(app, [route], logs.logger), logs };
}

describe('plain routes answered ahead of express', () => {
  test.each([
    { case: 'its method and path', method: 'post', path: '/webhooks/example/sms', answeredBy: 'plain route' },
    { case: 'its path with a query string', method: 'post', path: '/webhooks/example/sms?study=a', answeredBy: 'plain route' },
    { case: 'its path with a trailing slash', method: 'post', path: '/webhooks/example/sms/', answeredBy: 'plain route' },
    { case: 'its path in other letter case', method: 'post', path: '/Webhooks/Example/SMS', answeredBy: 'plain route' },
    { case: 'its path with another method', method: 'get', path: '/webhooks/example/sms', answeredBy: 'express' },
    { case: 'another path', method: 'post', path: '/other', answeredBy: 'express' },
  ] as const)('when a request has $case, then it is answered by the $answeredBy', async ({ method, path, answeredBy }) => {
    const response = await request(appWith('answer').app)[method](path);

    expect(response.status).toBe(200);
    expect(response.body.answeredBy).toBe(answeredBy);
  });

  test('when the route answers, then express never saw the request and the URL is the one the client called', async () => {
    const response = await request(appWith('answer').app).post('/webhooks/example/sms?study=a');

    expect(response.body).toEqual({ answeredBy: 'plain route', url: '/webhooks/example/sms?study=a', express: false });
  });

  test('when the app is mounted in another app, then the route still answers, with the URL the client called', async () => {
    const outer = express();
    outer.use(appWith('answer').app);

    const response = await request(outer).post('/webhooks/example/sms?study=b');

    expect(response.body).toMatchObject({ answeredBy: 'plain route', url: '/webhooks/example/sms?study=b' });
  });

  test('when the route refuses the request, then its status and message are the JSON error, and nothing is logged', async () => {
    const { app, logs } = appWith('refuse');

    const response = await request(app).post('/webhooks/example/sms');

    expect(response.status).toBe(403);
    expect(response.body).toEqual({ error: 'invalid key' });
    expect(logs.text()).toBe('');
  });

  test('when the route fails unexpectedly, then 500 without the reason, and the failure is logged', async () => {
    const { app, logs } = appWith('fail');

    const response = await request(app).post('/webhooks/example/sms');

    expect(response.status).toBe(500);
    expect(response.body).toEqual({ error: 'internal error' });
    expect(response.text).not.toContain('disk');
    expect(logs.text()).toContain('request failed');
  });
});
