/**
 * `GET /metrics` on the service in one thread (composeService), driven through its HTTP edges: signed
 * Twilio webhooks, the fake Twilio API, and the REDCap emulator for the write-back.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { countSegments } from '../../src/answers/index.js';
import { handleInbound } from '../../src/use-cases/index.js';
import { ADMIN_TOKEN as DET_ADMIN_TOKEN, startService } from '../det/service-harness.js';
import { FAILURES } from '../fakes/fake-twilio-api.js';
import { ADMIN_TOKEN, OUR_NUMBER, PARTICIPANT, serviceWorld } from '../http/service-world.js';
import { AUTH_TOKEN } from '../twilio/harness.js';
import { PHONE, TOKEN, classicStudy } from '../writeback/harness.js';
import { sample } from './scrape.js';

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
const SMS = '/webhooks/twilio/sms';
const STATUS = '/webhooks/twilio/status';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function world(env: Record<string, string> = {}) {
  const w = await serviceWorld(env);
  close = w.close;
  const scrape = async () => {
    const response = await w.http.get('/metrics').set('Authorization', `Bearer ${ADMIN_TOKEN}`);
    expect(response.status).toBe(200);
    return response.text;
  };
  const sentSid = () => (w.service.db.prepare(`SELECT provider_message_id AS sid FROM outbox WHERE provider_message_id IS NOT NULL ORDER BY id`).get() as { sid: string }).sid;
  return { ...w, scrape, sentSid };
}

describe('who may scrape /metrics', () => {
  test.each([
    { case: 'no token', path: '/metrics', auth: undefined, status: 401 },
    { case: 'a wrong token', path: '/metrics', auth: 'not-the-token-at-all', status: 401 },
    { case: 'the admin token', path: '/metrics', auth: ADMIN_TOKEN, status: 200 },
    { case: 'the metrics token', path: '/metrics', auth: METRICS_TOKEN, status: 200 },
    { case: 'the metrics token, on the admin API', path: '/api/conversations', auth: METRICS_TOKEN, status: 401 },
    { case: 'the metrics token, on the dashboard', path: '/dashboard', auth: METRICS_TOKEN, status: 401 },
  ])('when asked with $case for $path, then $status', async ({ path, auth, status }) => {
    const w = await world({ METRICS_TOKEN });

    const call = w.http.get(path);
    const response = await (auth === undefined ? call : call.set('Authorization', `Bearer ${auth}`));

    expect(response.status).toBe(status);
  });

  test('when METRICS_TOKEN is not set, then only the admin token opens /metrics', async () => {
    const w = await world();

    const response = await w.http.get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`);

    expect(response.status).toBe(401);
    expect(response.body).toEqual({ error: 'a valid metrics or admin token is required (Authorization: Bearer …)' });
  });

  test('when scraped, then the page is Prometheus text, never cached', async () => {
    const w = await world();

    const response = await w.http.get('/metrics').set('Authorization', `Bearer ${ADMIN_TOKEN}`);

    expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.text).toContain('# TYPE redcap_sms_unit_of_work_seconds histogram');
  });
});

describe('what /metrics counts', () => {
  test('when a text comes in and Twilio retries the same webhook, then one is new, one a duplicate, and both are timed units of work', async () => {
    const w = await world();
    await w.invite();
    const params = w.inboundParams('1');

    await w.postSigned(SMS, params);
    await w.postSigned(SMS, params);
    const page = await w.scrape();

    expect(sample(page, 'redcap_sms_inbound_texts_total', { provider: 'twilio', outcome: 'new' })).toBe(1);
    expect(sample(page, 'redcap_sms_inbound_texts_total', { provider: 'twilio', outcome: 'duplicate' })).toBe(1);
    expect(sample(page, 'redcap_sms_unit_of_work_seconds_count', { kind: 'inbound-text', outcome: 'ok' })).toBe(2);
    expect(sample(page, 'redcap_sms_unit_of_work_seconds_bucket', { kind: 'inbound-text', outcome: 'ok', le: '+Inf' })).toBe(2);
    expect(sample(page, 'redcap_sms_unit_of_work_seconds_sum', { kind: 'inbound-text', outcome: 'ok' })).toBeGreaterThan(0);
  });

  test('when an invitation waits 90 s for the dispatcher, then the outbox shows one text 90 s old, and none once it is sent', async () => {
    const w = await world();
    await w.invite();
    w.clock.advance(90_000);

    const waiting = await w.scrape();
    await w.service.dispatcher.runOnce();
    const sent = await w.scrape();

    const texts = { channel: 'sms', project: 'default' };
    expect([sample(waiting, 'redcap_sms_outbox_pending', texts), sample(waiting, 'redcap_sms_outbox_oldest_pending_seconds', texts)]).toEqual([1, 90]);
    expect([sample(sent, 'redcap_sms_outbox_pending', texts), sample(sent, 'redcap_sms_outbox_oldest_pending_seconds', texts)]).toEqual([0, 0]);
    expect(sample(sent, 'redcap_sms_texts_sent_total', { project: 'default', outcome: 'sent' })).toBe(1);
    expect(sample(sent, 'redcap_sms_outbox_pending', { channel: 'redcap', project: 'default' })).toBe(0);
  });

  test.each([
    { case: "Twilio refuses a send with 21211 (a bad 'To')", failure: FAILURES.invalidTo, outcome: 'rejected', code: '21211' },
    { case: 'Twilio refuses a send with 21610 (unsubscribed)', failure: FAILURES.unsubscribed, outcome: 'opted-out', code: '21610' },
    { case: 'Twilio answers 500', failure: FAILURES.serverError, outcome: 'retry', code: 'transient' },
  ])('when $case, then the send counts as $outcome and the provider error by its code', async ({ failure, outcome, code }) => {
    const w = await world();
    await w.invite();
    w.twilioApi.failNext(failure);

    await w.service.dispatcher.runOnce();
    const page = await w.scrape();

    expect(sample(page, 'redcap_sms_texts_sent_total', { project: 'default', outcome })).toBe(1);
    expect(sample(page, 'redcap_sms_provider_errors_total', { stage: 'send', code })).toBe(1);
  });

  test('when a delivery status carries an error code, then it is a provider error at delivery, and the callback a timed unit of work', async () => {
    const w = await world();
    await w.invite();
    await w.service.dispatcher.runOnce();

    await w.postSigned(STATUS, { MessageSid: w.sentSid(), MessageStatus: 'delivered', From: OUR_NUMBER, To: PARTICIPANT });
    await w.postSigned(STATUS, { MessageSid: w.sentSid(), MessageStatus: 'undelivered', ErrorCode: '30003', From: OUR_NUMBER, To: PARTICIPANT });
    const page = await w.scrape();

    expect(sample(page, 'redcap_sms_provider_errors_total', { stage: 'delivery', code: '30003' })).toBe(1);
    expect(sample(page, 'redcap_sms_unit_of_work_seconds_count', { kind: 'delivery-status', outcome: 'ok' })).toBe(2);
  });

  test('when the participant texts STOP, then the number counts as opted out by keyword, and its REDCap write waits', async () => {
    const w = await world();
    await w.invite();

    await w.postSigned(SMS, w.inboundParams('STOP'));
    const page = await w.scrape();

    expect(sample(page, 'redcap_sms_opted_out_numbers', { project: 'default', source: 'keyword' })).toBe(1);
    expect(sample(page, 'redcap_sms_opted_out_numbers', { project: 'default', source: 'provider' })).toBe(0);
    expect(sample(page, 'redcap_sms_outbox_pending', { channel: 'redcap', project: 'default' })).toBeGreaterThanOrEqual(1);
  });

  test('when the project has a monthly segment budget, then the segments sent this month stand beside it', async () => {
    const w = await world({ SMS_MONTHLY_SEGMENT_BUDGET: '100' });
    await w.invite();

    const before = await w.scrape();
    await w.service.dispatcher.runOnce();
    const after = await w.scrape();

    expect(sample(before, 'redcap_sms_segments_sent_this_month', { project: 'default' })).toBe(0);
    const [invitation] = w.twilioApi.messages();
    expect(sample(after, 'redcap_sms_segments_sent_this_month', { project: 'default' })).toBe(countSegments(invitation!.form.Body!).segments);
    expect(sample(after, 'redcap_sms_monthly_segment_budget', { project: 'default' })).toBe(100);
  });

  test('when a project has no segment budget, then there is no budget series for it', async () => {
    const w = await world();

    expect(sample(await w.scrape(), 'redcap_sms_monthly_segment_budget', { project: 'default' })).toBeUndefined();
  });

  test('when texts, opt-outs and errors have been counted, then the page names no phone number, text or token', async () => {
    const w = await world({ METRICS_TOKEN });
    await w.invite();
    await w.postSigned(SMS, w.inboundParams('my private answer'));
    w.twilioApi.failNext(FAILURES.invalidTo);
    await w.service.dispatcher.runOnce();
    await w.postSigned(SMS, w.inboundParams('STOP'));

    const page = await w.scrape();

    for (const secret of [PARTICIPANT, PARTICIPANT.slice(1), OUR_NUMBER, 'my private answer', 'STOP', ADMIN_TOKEN, METRICS_TOKEN, AUTH_TOKEN, 'REDCAPSECRETTOKEN']) {
      expect(page).not.toContain(secret);
    }
  });
});

describe('REDCap writes in /metrics', () => {
  test('when REDCap is down for one request, then the answers count as a retry, then as landed, and the backlog empties', async () => {
    const w = await startService(classicStudy({ records: [{ record_id: '1', phone: PHONE }] }));
    close = w.close;
    const scrape = async () => (await w.http.get('/metrics').set('Authorization', `Bearer ${DET_ADMIN_TOKEN}`)).text;
    const now = w.clock.now().toISOString();
    await w.service.redcap.sync.scheduleInvitation({ project: 'study', recordId: '1', instrument: 'daily', event: '', repeatInstance: 0, mode: 'sms', sendAt: now, createdAt: now });
    await w.service.redcap.sendDueInvitations();
    ['1', '1,3', '2026-03-09'].forEach((body, i) =>
      handleInbound(w.service.conversations, { provider: 'test', providerMessageId: `SM${i}`, project: 'study', from: PHONE, body }));
    const writes = { channel: 'redcap', project: 'study' };
    const backlog = sample(await scrape(), 'redcap_sms_outbox_pending', writes);

    w.emulator.failNext(1);
    await w.service.redcap.writer.runOnce();
    const failed = await scrape();
    w.clock.advance(10 * 60_000);
    await w.service.redcap.writer.runOnce();
    const landed = await scrape();

    expect(backlog).toBeGreaterThan(0);
    expect(sample(failed, 'redcap_sms_redcap_writes_total', { project: 'study', outcome: 'retry' })).toBe(backlog);
    expect(sample(failed, 'redcap_sms_outbox_oldest_pending_seconds', writes)).toBe(0);
    expect(sample(landed, 'redcap_sms_redcap_writes_total', { project: 'study', outcome: 'landed' })).toBe(backlog);
    expect(sample(landed, 'redcap_sms_outbox_pending', writes)).toBe(0);
    expect(landed).not.toContain(TOKEN);
  });
});
