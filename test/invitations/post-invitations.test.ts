import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { PHONE, classicStudy } from '../writeback/harness.js';
import { ADMIN_TOKEN, startService } from '../det/service-harness.js';

type World = Awaited<ReturnType<typeof startService>>;
let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const NOW = '2026-03-10T20:00:00.000Z';
const OTHER_PHONE = '+16503809999';
const RECORDS = [
  { record_id: '1', phone: '(650) 380-3405' },
  { record_id: '2', phone: '' },
  { record_id: '3', phone: '650-380-3405', daily_complete: '2' },
  { record_id: '4', phone: '6503803405' },
];

async function start(settings: Record<string, unknown> = {}): Promise<World> {
  world = await startService(classicStudy({ records: RECORDS }), settings, NOW);
  return world;
}

function post(w: World, body: Record<string, unknown>) {
  return w.http.post('/api/invitations').set('Authorization', `Bearer ${ADMIN_TOKEN}`).send(body);
}

const count = (w: World, table: string) => (w.service.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('POST /api/invitations, sent now', () => {
  test('when a record with a phone is invited, then 201 with the conversation and the first question is queued for its phone', async () => {
    const w = await start();

    const response = await post(w, { record: '1', instrument: 'daily' });

    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      project: 'study', record: '1', instrument: 'daily', event: null, mode: 'sms',
      status: 'asking', conversationId: 'conv-0001', scheduledFor: NOW, invitationId: null,
    });
    expect(w.smsTo(PHONE)).toEqual([expect.objectContaining({ kind: 'invitation', body: expect.stringMatching(/mood/) })]);
    expect(JSON.stringify(response.body)).not.toContain(PHONE);
  });

  test('when a phone is given, then it is texted instead of the record\'s phone field', async () => {
    const w = await start();

    const response = await post(w, { record: '2', instrument: 'weekly', phone: '+1 (650) 380-9999' });

    expect(response.status).toBe(201);
    expect(w.smsTo(OTHER_PHONE)).toEqual([expect.objectContaining({ kind: 'invitation', body: expect.stringMatching(/sleep/) })]);
  });

  test('when the mode is link, then one text with the record\'s survey link is queued and no conversation starts', async () => {
    const w = await start();

    const response = await post(w, { record: '1', instrument: 'weekly', mode: 'link' });

    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ status: 'sent', conversationId: null, mode: 'link' });
    expect(w.smsTo(PHONE)).toEqual([expect.objectContaining({ kind: 'invitation', body: expect.stringMatching(/https?:\/\//) })]);
    expect(count(w, 'conversations')).toBe(0);
  });

  test('when the policy is FIRST and the phone is in another survey, then 201 and the invitation waits its turn (REDCap\'s "in order received")', async () => {
    const w = await start({ overlapPolicy: 'FIRST' });
    await post(w, { record: '1', instrument: 'daily' });

    const response = await post(w, { record: '4', instrument: 'weekly' });

    expect(response.status).toBe(201);
    expect(response.body.status).toBe('held');
    expect(w.smsTo(PHONE).map((sms) => sms.kind)).toEqual(['invitation']);
  });
});

describe('POST /api/invitations, scheduled', () => {
  test('when sendAt is in the future, then 201 "scheduled" and the invitation is sent when it is due, not before', async () => {
    const w = await start();
    const sendAt = '2026-03-11T13:00:00.000Z';

    const response = await post(w, { record: '1', instrument: 'daily', sendAt: '2026-03-11T09:00:00-04:00' });
    w.clock.set('2026-03-11T12:59:00.000Z');
    await w.service.redcap.sendDueInvitations();
    const early = w.smsTo(PHONE);
    w.clock.set(sendAt);
    await w.service.redcap.sendDueInvitations();

    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ status: 'scheduled', conversationId: null, scheduledFor: sendAt, invitationId: expect.any(Number) });
    expect(early).toEqual([]);
    expect(w.smsTo(PHONE)).toEqual([expect.objectContaining({ kind: 'invitation', at: sendAt })]);
  });

  test('when the same record and instrument is scheduled twice, then the second answers 409', async () => {
    const w = await start();
    await post(w, { record: '1', instrument: 'daily', sendAt: '2026-03-11T13:00:00Z' });

    const response = await post(w, { record: '1', instrument: 'daily', sendAt: '2026-03-12T13:00:00Z' });

    expect(response.status).toBe(409);
    expect(response.body.error).toMatch(/already has an invitation to daily/);
  });

  test('when sendAt is within a minute before now, then it is sent now', async () => {
    const w = await start();

    const response = await post(w, { record: '1', instrument: 'daily', sendAt: '2026-03-10T19:59:30Z' });

    expect(response.status).toBe(201);
    expect(response.body.status).toBe('asking');
  });
});

describe('POST /api/invitations refusals change nothing', () => {
  test.each([
    { case: 'the instrument is not in the active survey', body: { record: '1', instrument: 'phq9' }, status: 400, message: /unknown instrument phq9; .*: contact, daily, weekly/ },
    { case: 'the phone is not a phone number', body: { record: '1', instrument: 'daily', phone: '+1 555' }, status: 400, message: /phone is not a valid phone number/ },
    { case: 'the record does not exist in REDCap', body: { record: '99', instrument: 'daily' }, status: 400, message: /record 99 does not exist in REDCap/ },
    { case: 'the record has no phone and none is given', body: { record: '2', instrument: 'daily' }, status: 400, message: /record 2 has no usable phone number in phone/ },
    { case: 'sendAt is in the past', body: { record: '1', instrument: 'daily', sendAt: '2026-03-09T12:00:00Z' }, status: 400, message: /sendAt is in the past/ },
    { case: 'sendAt is malformed', body: { record: '1', instrument: 'daily', sendAt: 'tomorrow at 9' }, status: 400, message: /sendAt must be an ISO date-time/ },
    { case: 'a scheduled invitation names another phone', body: { record: '1', instrument: 'daily', phone: OTHER_PHONE, sendAt: '2026-03-11T13:00:00Z' }, status: 400, message: /scheduled invitation texts the record's phone/ },
    { case: 'the project is unknown', body: { record: '1', instrument: 'daily', project: 'other' }, status: 400, message: /unknown project other; this service runs study/ },
    { case: 'the record already completed the instrument', body: { record: '3', instrument: 'daily' }, status: 409, message: /record 3 has already completed daily/ },
  ])('when $case, then $status with the reason', async ({ body, status, message }) => {
    const w = await start();

    const response = await post(w, body);

    expect(response.status).toBe(status);
    expect(response.body.error).toMatch(message);
    expect([count(w, 'conversations'), count(w, 'outbox'), count(w, 'scheduled_invitations')]).toEqual([0, 0, 0]);
  });

  test('when the number has opted out, then 409 and nothing is queued for it', async () => {
    const w = await start();
    await w.service.conversations.store.optOut('study', PHONE, NOW, 'keyword');

    const response = await post(w, { record: '1', instrument: 'daily' });

    expect(response.status).toBe(409);
    expect(response.body.error).toMatch(/opted out/);
    expect(count(w, 'conversations')).toBe(0);
    expect(w.smsTo(PHONE)).toEqual([]);
  });

  test('when the admin token is missing, then 401 and nothing is stored', async () => {
    const w = await start();

    const response = await w.http.post('/api/invitations').send({ record: '1', instrument: 'daily' });

    expect(response.status).toBe(401);
    expect(count(w, 'conversations')).toBe(0);
  });

  test('when REDCap does not answer, then 503 says so and nothing is stored', async () => {
    const w = await start();
    await w.service.redcap.survey('study');
    w.emulator.failNext(5, '500');

    const response = await post(w, { record: '1', instrument: 'daily' });

    expect(response.status).toBe(503);
    expect(response.body.error).toMatch(/REDCap could not be asked/);
    expect(count(w, 'conversations')).toBe(0);
  });
});

describe('POST /api/invitations, with a language', () => {
  const spanish = { languages: [{ id: 'en' }, { id: 'es', catalog: fileURLToPath(new URL('../../fixtures/catalogs/es.yaml', import.meta.url)) }] };

  test('when the invitation chooses a configured language, then the participant is texted in it', async () => {
    const w = await start(spanish);

    const response = await post(w, { record: '1', instrument: 'daily', language: 'es' });

    expect(response.status).toBe(201);
    expect(w.smsTo(PHONE)).toEqual([expect.objectContaining({ kind: 'invitation', body: expect.stringMatching(/^Le invitamos a responder una breve encuesta/) })]);
  });

  test('when a link invitation chooses a language, then the link text is in it', async () => {
    const w = await start(spanish);

    await post(w, { record: '1', instrument: 'weekly', mode: 'link', language: 'es' }).expect(201);

    expect(w.smsTo(PHONE)).toEqual([expect.objectContaining({ body: expect.stringMatching(/^Le invitamos a responder una breve encuesta: https?:\/\//) })]);
  });

  test.each([
    ['sms', 'daily', /^Le invitamos a responder una breve encuesta por mensaje de texto\./],
    ['link', 'weekly', /^Le invitamos a responder una breve encuesta: https?:\/\//],
  ])('when a scheduled %s invitation chooses a language, then it is stored with it and sent in it when due', async (mode, instrument, text) => {
    const w = await start(spanish);
    const sendAt = '2026-03-11T13:00:00.000Z';

    await post(w, { record: '1', instrument, mode, language: 'es', sendAt }).expect(201);
    const stored = w.service.db.prepare('SELECT language FROM scheduled_invitations').all();
    w.clock.set(sendAt);
    await w.service.redcap.sendDueInvitations();

    expect(stored).toEqual([{ language: 'es' }]);
    expect(w.smsTo(PHONE)).toEqual([expect.objectContaining({ kind: 'invitation', at: sendAt, body: expect.stringMatching(text) })]);
  });

  test('when a scheduled invitation chooses no language, then it is sent in the default one', async () => {
    const w = await start(spanish);
    const sendAt = '2026-03-11T13:00:00.000Z';

    await post(w, { record: '1', instrument: 'daily', sendAt }).expect(201);
    w.clock.set(sendAt);
    await w.service.redcap.sendDueInvitations();

    expect(w.smsTo(PHONE)).toEqual([expect.objectContaining({ body: expect.stringMatching(/^You are invited to answer a short survey/) })]);
  });

  test.each([
    ['a language the project lacks', spanish, { language: 'fr' }, 'unknown language fr; project study has en, es'],
    ['a language on a project without languages', {}, { language: 'es' }, 'project study has no languages configured'],
    ['a language the project lacks on a scheduled invitation', spanish, { language: 'fr', sendAt: '2026-03-11T20:00:00.000Z' }, 'unknown language fr; project study has en, es'],
  ])('when the invitation names %s, then 400 with the reason and nothing is stored', async (_case, settings, body, message) => {
    const w = await start(settings);

    const response = await post(w, { record: '1', instrument: 'daily', ...body });

    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).toContain(message);
    expect(count(w, 'conversations') + count(w, 'outbox') + count(w, 'scheduled_invitations')).toBe(0);
  });
});
