import { fc, test as prop } from '@fast-check/vitest';
import { once } from 'node:events';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import request from 'supertest';
import { afterEach, describe, expect, test } from 'vitest';
import { FORM_LIMIT_BYTES, formBody, formFields } from '../../src/adapters/http/form-body.js';
import { jsonErrors } from '../../src/adapters/http/http-error.js';
import { createLogger } from '../../src/adapters/logging/logger.js';
import { serviceWorld } from './service-world.js';

/** Posts a form in chunks with no Content-Length (supertest always sends one). */
async function postChunked(app: express.Express, chunks: string[]): Promise<{ status: number; text: string }> {
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const post = httpRequest({ port: (server.address() as AddressInfo).port, host: '127.0.0.1', method: 'POST', path: '/form', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    for (const chunk of chunks) post.write(chunk);
    post.end();
    const [response] = (await once(post, 'response')) as [IncomingMessage];
    let text = '';
    for await (const part of response) text += String(part);
    return { status: response.statusCode ?? 0, text };
  } finally {
    server.close();
  }
}

/** An app that echoes what formBody made of the request, behind the service's own error handler. */
function echoApp() {
  const app = express();
  app.post('/form', formBody(1_000), (req, res) => void res.json({ body: req.body ?? null }));
  app.use(jsonErrors(createLogger({ level: 'silent' })));
  return app;
}

describe('reading a form body', () => {
  test.each([
    { case: 'a plain form', body: 'MessageSid=SM1&Body=Hello%20there&From=%2B16505551000', fields: { MessageSid: 'SM1', Body: 'Hello there', From: '+16505551000' } },
    { case: 'plus signs for spaces', body: 'Body=yes+please', fields: { Body: 'yes please' } },
    { case: 'a name given twice', body: 'Body=a&Body=b&Body=c', fields: { Body: ['a', 'b', 'c'] } },
    { case: 'an empty value and a bare name', body: 'Body=&OptOutType', fields: { Body: '', OptOutType: '' } },
    { case: 'emoji and accents', body: `Body=${encodeURIComponent('Sí 😀')}`, fields: { Body: 'Sí 😀' } },
    { case: 'an empty body', body: '', fields: {} },
  ])('when the body is $case, then its fields are the request body', async ({ body, fields }) => {
    const response = await request(echoApp()).post('/form').type('form').send(body);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ body: fields });
  });

  test('when a field is named __proto__ or constructor, then it is only a field', async () => {
    const response = await request(echoApp()).post('/form').type('form').send('__proto__=x&constructor=y');

    expect(response.body).toEqual({ body: JSON.parse('{"__proto__":"x","constructor":"y"}') });
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  test.each([
    { case: 'JSON', type: 'application/json', body: '{"Body":"1"}' },
    { case: 'plain text', type: 'text/plain', body: 'Body=1' },
    { case: 'multipart', type: 'multipart/form-data; boundary=x', body: '--x--' },
  ])('when the body is $case, then it is left unread for the route to refuse', async ({ type, body }) => {
    const response = await request(echoApp()).post('/form').set('Content-Type', type).send(body);

    expect(response.body).toEqual({ body: null });
  });

  test.each([
    { case: 'in another charset', headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=latin1' }, status: 415, error: 'a form body must be UTF-8, not latin1' },
    { case: 'compressed', headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Encoding': 'gzip' }, status: 415, error: 'a compressed form body is not accepted' },
  ])('when the form is $case, then $status with the reason', async ({ headers, status, error }) => {
    const response = await request(echoApp()).post('/form').set(headers).send('Body=1');

    expect(response.status).toBe(status);
    expect(response.body).toEqual({ error });
  });

  test('when a body says it is over the limit, then 413 with the limit', async () => {
    const response = await request(echoApp()).post('/form').type('form').send(`Body=${'x'.repeat(2_000)}`);

    expect(response.status).toBe(413);
    expect(response.body).toEqual({ error: 'the request body is larger than 1000 bytes' });
  });

  test('when a body without a length grows past the limit in chunks, then 413 with the limit', async () => {
    const response = await postChunked(echoApp(), ['Body=', 'x'.repeat(600), 'x'.repeat(600)]);

    expect(response.status).toBe(413);
    expect(JSON.parse(response.text)).toEqual({ error: 'the request body is larger than 1000 bytes' });
  });

  test('when the client goes away in the middle of a body, then nothing is handled and the next request is served', async () => {
    let handled = 0;
    const app = express();
    app.post('/form', formBody(1_000), (_req, res) => {
      handled += 1;
      res.json({});
    });
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const port = (server.address() as AddressInfo).port;
      const post = httpRequest({ port, host: '127.0.0.1', method: 'POST', path: '/form', headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': '500' } });
      post.on('error', () => {});
      post.write('Body=only-part-of-it');
      await new Promise((resolve) => setTimeout(resolve, 50));
      post.destroy();
      await new Promise((resolve) => setTimeout(resolve, 50));

      const next = await request(server).post('/form').type('form').send('Body=1');

      expect(next.status).toBe(200);
      expect(handled).toBe(1);
    } finally {
      server.close();
    }
  });

  prop.prop([fc.array(fc.tuple(fc.string(), fc.string({ unit: 'grapheme' })), { maxLength: 12 })])(
    'when any fields are form-encoded, then every name keeps its values in order',
    (pairs) => {
      const expected = new Map<string, string[]>();
      for (const [name, value] of pairs) expected.set(name, [...(expected.get(name) ?? []), value]);

      const fields = formFields(new URLSearchParams(pairs).toString());

      expect(Object.keys(fields).sort()).toEqual([...expected.keys()].sort());
      for (const [name, values] of expected) expect(fields[name]).toEqual(values.length === 1 ? values[0] : values);
    },
  );
});

describe('the Twilio webhook and an oversized body', () => {
  let world: Awaited<ReturnType<typeof serviceWorld>>;
  afterEach(async () => {
    await world.close();
  });

  test('when a signed text is larger than the form limit, then 413 and nothing is stored', async () => {
    world = await serviceWorld();
    await world.invite();
    const params = world.inboundParams('x'.repeat(FORM_LIMIT_BYTES));

    const response = await world.postSigned('/webhooks/twilio/sms', params);

    expect(response.status).toBe(413);
    expect(world.count('inbound_messages')).toBe(0);
  });
});
