import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { EMPTY_TWIML } from '../../src/adapters/http/twilio-webhooks.js';
import { FAILURES } from '../fakes/fake-twilio-api.js';
import { AUTH_TOKEN } from '../twilio/harness.js';
import { OUR_NUMBER, PARTICIPANT, serviceWorld } from './service-world.js';

const SMS = '/webhooks/twilio/sms';
const STATUS = '/webhooks/twilio/status';

let world: Awaited<ReturnType<typeof serviceWorld>>;
afterEach(async () => {
  await world.close();
});

describe('X-Twilio-Signature on the inbound webhook', () => {
  beforeEach(async () => {
    world = await serviceWorld();
    await world.invite();
  });

  test('when the signature is valid, then the text is stored and the answer is empty TwiML', async () => {
    const response = await world.postSigned(SMS, world.inboundParams('1'));

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/xml/);
    expect(response.text).toBe(EMPTY_TWIML);
    expect(world.count('inbound_messages')).toBe(1);
  });

  test.each([
    { case: 'the header is missing', status: 400, header: undefined },
    { case: 'the header is not a signature of this request', status: 403, header: 'bm90LWEtc2lnbmF0dXJl' },
    { case: 'the header was made with another auth token', status: 403, header: 'other' },
  ])('when $case, then $status and nothing is stored', async ({ status, header }) => {
    const params = world.inboundParams('1');
    const signature = header === 'other' ? (await import('twilio')).default.getExpectedTwilioSignature('wrong', `${world.config.publicUrl}${SMS}`, params) : header;
    const post = world.http.post(SMS).type('form');
    const response = await (signature === undefined ? post : post.set('X-Twilio-Signature', signature)).send(params);

    expect(response.status).toBe(status);
    expect(world.count('inbound_messages')).toBe(0);
  });

  test('when the body was changed after signing, then 403 and nothing is stored', async () => {
    const params = world.inboundParams('1');
    const signature = world.sign(SMS, params);

    const response = await world.http.post(SMS).type('form').set('X-Twilio-Signature', signature).send({ ...params, Body: '2' });

    expect(response.status).toBe(403);
    expect(world.count('inbound_messages')).toBe(0);
  });

  test.each([
    { publicUrl: 'https://sms.example.org', signedFor: 'https://sms.example.org:443' },
    { publicUrl: 'https://sms.example.org:443', signedFor: 'https://sms.example.org' },
    { publicUrl: 'https://sms.example.org:8443', signedFor: 'https://sms.example.org:8443' },
  ])('when PUBLIC_URL is $publicUrl and Twilio signed $signedFor, then the signature is accepted', async ({ publicUrl, signedFor }) => {
    await world.close();
    world = await serviceWorld({ PUBLIC_URL: publicUrl });
    const params = world.inboundParams('hello');

    const response = await world.http.post(SMS).type('form').set('X-Twilio-Signature', world.sign(SMS, params, signedFor)).send(params);

    expect(response.status).toBe(200);
  });

  test.each([
    { case: 'another host', signedFor: 'https://attacker.example.com' },
    { case: 'another scheme', signedFor: 'http://sms.example.org' },
    { case: 'a path prefix PUBLIC_URL does not have', signedFor: 'https://sms.example.org/prefix' },
  ])('when Twilio signed the URL with $case, then 403', async ({ signedFor }) => {
    const params = world.inboundParams('hello');

    const response = await world.http.post(SMS).type('form').set('X-Twilio-Signature', world.sign(SMS, params, signedFor)).send(params);

    expect(response.status).toBe(403);
  });
});

describe('inbound texts', () => {
  beforeEach(async () => {
    world = await serviceWorld();
    await world.invite();
  });

  test('when Twilio retries the same MessageSid, then 200 and the second delivery changes nothing', async () => {
    const params = world.inboundParams('1');
    await world.postSigned(SMS, params);
    const outboxAfterFirst = world.count('outbox');

    const retry = await world.postSigned(SMS, params);

    expect(retry.status).toBe(200);
    expect(retry.text).toBe(EMPTY_TWIML);
    expect([world.count('inbound_messages'), world.count('outbox')]).toEqual([1, outboxAfterFirst]);
  });

  test('when the To number belongs to no project, then 200 empty TwiML and nothing is stored', async () => {
    const response = await world.postSigned(SMS, world.inboundParams('1', { To: '+15559999999' }));

    expect(response.status).toBe(200);
    expect(response.text).toBe(EMPTY_TWIML);
    expect(world.count('inbound_messages')).toBe(0);
  });

  test.each([
    { case: 'MessageSid is missing', drop: 'MessageSid' },
    { case: 'From is missing', drop: 'From' },
    { case: 'To is missing', drop: 'To' },
  ])('when $case, then 400 naming the field and nothing is stored', async ({ drop }) => {
    const params: Record<string, string> = world.inboundParams('1');
    delete params[drop];

    const response = await world.postSigned(SMS, params);

    expect(response.status).toBe(400);
    expect(response.body.error).toContain(drop);
    expect(world.count('inbound_messages')).toBe(0);
  });

  test.each([
    { optOutType: 'STOP', body: 'STOP', optedOut: true, answeredByTwilio: 'opted-out' },
    { optOutType: 'STOP', body: 'ARRET', optedOut: true, answeredByTwilio: 'opted-out' },
    { optOutType: 'HELP', body: 'HELP', optedOut: false, answeredByTwilio: 'help' },
  ])('when Twilio marks "$body" as OptOutType=$optOutType, then it is applied and our own $answeredByTwilio reply is not sent', async ({ optOutType, body, optedOut, answeredByTwilio }) => {
    const response = await world.postSigned(SMS, world.inboundParams(body, { OptOutType: optOutType }));

    expect(response.status).toBe(200);
    expect(await world.service.conversations.store.isOptedOut('default', PARTICIPANT)).toBe(optedOut);
    const pending = world.smsRows().filter((row) => row.status === 'pending').map((row) => row.kind);
    expect(pending).not.toContain(answeredByTwilio);
  });

  test('when Twilio marks START after a STOP, then the number is opted in and Twilio’s reply is not doubled', async () => {
    await world.postSigned(SMS, world.inboundParams('STOP', { OptOutType: 'STOP' }));

    await world.postSigned(SMS, world.inboundParams('START', { OptOutType: 'START' }));

    expect(await world.service.conversations.store.isOptedOut('default', PARTICIPANT)).toBe(false);
    expect(world.smsRows().filter((row) => row.kind === 'opted-in').map((row) => row.status)).toEqual(['suppressed']);
  });

  test('when a participant answers, then the next question reaches Twilio through the dispatcher', async () => {
    await world.service.dispatcher.runOnce();
    const before = world.twilioApi.messages().length;
    world.clock.advance(5_000);

    await world.postSigned(SMS, world.inboundParams('1'));
    await world.service.dispatcher.runOnce();

    const sent = world.twilioApi.messages().slice(before);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent[0]?.form).toMatchObject({ To: PARTICIPANT, From: OUR_NUMBER, StatusCallback: 'https://sms.example.org/webhooks/twilio/status' });
  });

  test('when a webhook is handled, then the logs contain no phone number, text or token', async () => {
    await world.postSigned(SMS, world.inboundParams('my private answer'));
    await world.service.dispatcher.runOnce();

    const logs = world.logs.text();
    expect(logs).toContain('inbound text');
    for (const secret of [PARTICIPANT, OUR_NUMBER, 'my private answer', AUTH_TOKEN, 'REDCAPSECRETTOKEN']) {
      expect(logs).not.toContain(secret);
    }
  });
});

describe('status callbacks', () => {
  beforeEach(async () => {
    world = await serviceWorld();
    await world.invite();
    await world.service.dispatcher.runOnce();
  });

  const sentSid = () => world.twilioApi.messages().length > 0 ? (world.service.db.prepare('SELECT provider_message_id AS sid FROM outbox WHERE provider_message_id IS NOT NULL').get() as { sid: string }).sid : '';

  test.each(['sent', 'delivered'])('when Twilio reports %s, then the status is recorded on the text', async (status) => {
    const response = await world.postSigned(STATUS, { MessageSid: sentSid(), MessageStatus: status, From: OUR_NUMBER, To: PARTICIPANT });

    expect(response.status).toBe(200);
    const row = world.service.db.prepare('SELECT delivery_status AS s FROM outbox WHERE provider_message_id = ?').get(sentSid());
    expect(row).toEqual({ s: status });
  });

  test('when Twilio reports undelivered, then the failure reaches the conversation as an event', async () => {
    await world.postSigned(STATUS, { MessageSid: sentSid(), MessageStatus: 'undelivered', ErrorCode: '30003', From: OUR_NUMBER, To: PARTICIPANT });

    const events = world.service.db.prepare(`SELECT kind, body FROM transcript WHERE direction = 'event' AND kind = 'delivery-failed'`).all();
    expect(events).toEqual([{ kind: 'delivery-failed', body: 'undelivered (30003)' }]);
  });

  test('when a status callback carries ErrorCode 21610, then the number is marked opted out', async () => {
    await world.postSigned(STATUS, { MessageSid: sentSid(), MessageStatus: 'failed', ErrorCode: '21610', From: OUR_NUMBER, To: PARTICIPANT });

    expect(await world.service.conversations.store.isOptedOut('default', PARTICIPANT)).toBe(true);
  });

  test('when a status callback is not signed, then 400 and nothing is recorded', async () => {
    const response = await world.http.post(STATUS).type('form').send({ MessageSid: sentSid(), MessageStatus: 'failed', ErrorCode: '21610' });

    expect(response.status).toBe(400);
    expect(await world.service.conversations.store.isOptedOut('default', PARTICIPANT)).toBe(false);
  });

  test('when a status callback lacks MessageStatus, then 400', async () => {
    const response = await world.postSigned(STATUS, { MessageSid: sentSid() });

    expect(response.status).toBe(400);
  });

  test('when a send is refused with 21610, then the number is opted out and no later text is sent', async () => {
    world.twilioApi.failNext(FAILURES.unsubscribed);
    world.clock.advance(5_000);
    await world.postSigned(SMS, world.inboundParams('1'));

    await world.service.dispatcher.runOnce();
    world.clock.advance(60_000);
    await world.service.dispatcher.runOnce();

    expect(await world.service.conversations.store.isOptedOut('default', PARTICIPANT)).toBe(true);
    expect(world.smsRows().filter((row) => row.status === 'pending')).toEqual([]);
  });
});
