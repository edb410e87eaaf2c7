import { afterEach, describe, expect, test } from 'vitest';
import { handleInbound } from '../../src/use-cases/index.js';
import { PHONE, classicStudy } from '../writeback/harness.js';
import { startService } from './service-harness.js';

type Service = Awaited<ReturnType<typeof startService>>;
let world: Service | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const OTHER_PHONE = '+16503809999';
const RECORDS = [
  { record_id: '1', phone: '(650) 380-3405', group: '1' },
  { record_id: '2', phone: '650-380-9999', group: '2' },
];

const RULES = {
  invitationRules: [
    { instrument: 'daily', when: "[group] = '1'", at: '09:00' },
    { instrument: 'weekly', when: "[group] = '2'", mode: 'link' },
  ],
};

describe('DET → rule → invitation', () => {
  test('when a DET arrives at 16:00 New York time for a rule "at 09:00", then the invitation goes out at 09:00 New York time the next day', async () => {
    world = await startService(classicStudy({ records: RECORDS }), RULES);

    const response = await world.det({ record: '1', instrument: 'contact', contact_complete: '0' });
    world.clock.set('2026-03-11T12:59:00.000Z');
    await world.service.redcap.sendDueInvitations();
    const beforeNine = world.smsTo(PHONE);
    world.clock.set('2026-03-11T13:00:00.000Z');
    await world.service.redcap.sendDueInvitations();

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ project: 'study', scheduled: 1 });
    expect(beforeNine).toEqual([]);
    expect(world.smsTo(PHONE)).toEqual([expect.objectContaining({ kind: 'invitation', at: '2026-03-11T13:00:00.000Z' })]);
    expect(world.smsTo(PHONE)[0]!.body).toMatch(/mood/);
  });

  test('when REDCap fires the DET again on every save, then the record is invited once', async () => {
    world = await startService(classicStudy({ records: RECORDS }), RULES);

    const responses = [];
    for (let save = 0; save < 3; save += 1) responses.push((await world.det({ record: '1', instrument: 'contact' })).body);

    expect(responses.map((body: { scheduled: number }) => body.scheduled)).toEqual([1, 0, 0]);
    expect(await world.service.redcap.sync.invitations('study')).toHaveLength(1);
  });

  test('when the DET claims data the record does not hold, then the rule is decided on the record re-read from REDCap', async () => {
    world = await startService(classicStudy({ records: [{ record_id: '1', phone: PHONE, group: '2' }] }), {
      invitationRules: [{ instrument: 'daily', when: "[group] = '1'" }],
    });

    const response = await world.det({ record: '1', instrument: 'contact', group: '1' });

    expect(response.body).toEqual({ project: 'study', scheduled: 0 });
  });

  test('when a rule is in link mode, then one text carries the record\'s survey link', async () => {
    world = await startService(classicStudy({ records: RECORDS }), RULES);

    await world.det({ record: '2', instrument: 'contact' });
    await world.service.redcap.sendDueInvitations();

    const texts = world.smsTo(OTHER_PHONE);
    expect(texts).toHaveLength(1);
    expect(texts[0]!.body).toMatch(/^You are invited to answer a short survey: http:\/\/127\.0\.0\.1:\d+\/surveys\/\?s=\w+ Reply STOP/);
    expect((await world.service.redcap.sync.invitations('study'))[0]).toMatchObject({ status: 'sent', mode: 'link', conversationId: null });
  });

  test('when two rounds send the same due invitations at once (an instance whose claim ran out, and the one that took them over), then each is sent once', async () => {
    world = await startService(classicStudy({ records: RECORDS }), RULES);
    await world.det({ record: '1', instrument: 'contact' });
    await world.det({ record: '2', instrument: 'contact' });
    world.clock.set('2026-03-11T13:00:00.000Z');

    await Promise.all([world.service.redcap.sendDueInvitations(), world.service.redcap.sendDueInvitations()]);

    expect([world.smsTo(PHONE).length, world.smsTo(OTHER_PHONE).length]).toEqual([1, 1]);
    expect((await world.service.conversations.store.conversations('study')).map((c) => [c.recordId, c.status])).toEqual([['1', 'asking']]);
    expect((await world.service.redcap.sync.invitations('study')).map((i) => [i.recordId, i.status, i.attempts])).toEqual([['1', 'sent', 1], ['2', 'sent', 1]]);
  });

  test.each([
    { case: 'a project id no configured project has', fields: { project_id: '999', record: '1', instrument: 'contact' }, status: 403 },
    { case: 'no record', fields: { record: '', instrument: 'contact' }, status: 400 },
    { case: 'an instrument that is not a name', fields: { record: '1', instrument: 'DROP TABLE' }, status: 400 },
  ])('when a DET names $case, then it is refused ($status) and nothing is scheduled', async ({ fields, status }) => {
    world = await startService(classicStudy({ records: RECORDS }), RULES);

    const response = await world.det(fields);

    expect(response.status).toBe(status);
    expect(await world.service.redcap.sync.invitations('study')).toEqual([]);
  });

  test('when REDCap is down as the DET arrives, then the DET is kept (202) and the invitation follows once REDCap is back', async () => {
    world = await startService(classicStudy({ records: RECORDS }), { invitationRules: [{ instrument: 'daily', when: "[group] = '1'" }] });
    world.emulator.failNext(4);

    const response = await world.det({ record: '1', instrument: 'contact' });
    for (let round = 0; round < 6; round += 1) {
      await world.service.redcap.sendDueInvitations();
      world.clock.advance(11 * 60_000);
    }

    expect(response.status).toBe(202);
    expect(response.body).toEqual({ queued: true });
    expect(world.smsTo(PHONE)).toEqual([expect.objectContaining({ kind: 'invitation' })]);
    expect(await world.service.redcap.sync.invitations('study')).toHaveLength(1);
  });

  test('when the number has opted out by the time the invitation is due, then nothing is sent', async () => {
    world = await startService(classicStudy({ records: RECORDS }), RULES);
    await world.det({ record: '1', instrument: 'contact' });
    await world.service.conversations.store.optOut('study', PHONE, '2026-03-10T21:00:00.000Z', 'keyword');

    world.clock.set('2026-03-11T13:00:00.000Z');
    await world.service.redcap.sendDueInvitations();

    expect(world.smsTo(PHONE)).toEqual([]);
    expect((await world.service.redcap.sync.invitations('study'))[0]).toMatchObject({ status: 'skipped', lastError: 'the number has opted out' });
  });
});

describe('survey queue', () => {
  const queue = (autoStart: boolean) => ({
    invitationRules: [{ instrument: 'daily', when: "[group] = '1'" }],
    surveyQueue: [{ instrument: 'daily' }, { instrument: 'weekly', when: "[mood] <> ''", autoStart }],
  });

  async function completeDailyBySms(w: Service): Promise<void> {
    await w.det({ record: '1', instrument: 'contact' });
    await w.service.redcap.sendDueInvitations();
    let n = 0;
    for (const body of ['1', '1', '2026-03-09']) {
      await handleInbound(w.service.conversations, { provider: 'test', providerMessageId: `SM${++n}`, project: 'study', from: PHONE, body });
    }
    await w.service.redcap.writer.runOnce();
  }

  test('when an SMS survey completes and REDCap has it, then the next queued survey whose condition holds starts at once (auto-start)', async () => {
    world = await startService(classicStudy({ records: RECORDS }), queue(true));

    await completeDailyBySms(world);
    await world.service.redcap.sendDueInvitations();

    const texts = world.smsTo(PHONE);
    expect(texts.at(-1)).toMatchObject({ kind: 'invitation' });
    expect(texts.at(-1)!.body).toMatch(/sleep/i);
    expect((await world.service.redcap.sync.invitations('study')).map((i) => [i.instrument, i.mode, i.status])).toEqual([
      ['daily', 'sms', 'sent'], ['weekly', 'sms', 'sent'],
    ]);
  });

  test('when the next queued survey is not auto-start, then it is offered: the participant replies to begin', async () => {
    world = await startService(classicStudy({ records: RECORDS }), queue(false));

    await completeDailyBySms(world);
    await world.service.redcap.sendDueInvitations();

    const offer = world.smsTo(PHONE).at(-1)!;
    expect(offer.kind).toBe('invitation');
    expect(offer.body).toMatch(/Reply with any text to begin/);
    expect(offer.body).not.toMatch(/sleep/i);
  });

  test.each([
    ['without a survey queue', {}],
    ['before the survey queue, which would offer weekly', { surveyQueue: [{ instrument: 'weekly', autoStart: false }] }],
  ])('when daily has auto-continue %s and completes by SMS, then weekly (next in the dictionary) starts at once', async (_case, extra) => {
    world = await startService(classicStudy({ records: RECORDS }), {
      invitationRules: [{ instrument: 'daily', when: "[group] = '1'" }], surveys: { daily: { autoContinue: true } }, ...extra,
    });

    await completeDailyBySms(world);
    await world.service.redcap.sendDueInvitations();

    expect(world.smsTo(PHONE).at(-1)!.body).toMatch(/sleep/i);
    expect((await world.service.redcap.sync.invitations('study')).map((i) => [i.instrument, i.mode])).toEqual([['daily', 'sms'], ['weekly', 'sms']]);
  });

  test('when the instrument after an auto-continue is already complete, then nothing more starts', async () => {
    world = await startService(classicStudy({ records: [{ ...RECORDS[0], weekly_complete: '2' }] }), {
      invitationRules: [{ instrument: 'daily', when: "[group] = '1'" }], surveys: { daily: { autoContinue: true } },
    });

    await completeDailyBySms(world);
    await world.service.redcap.sendDueInvitations();

    expect((await world.service.redcap.sync.invitations('study')).map((i) => i.instrument)).toEqual(['daily']);
  });

  test('when a survey is completed on the web (DET with complete = 2), then the queue moves on from the re-read record', async () => {
    world = await startService(classicStudy({
      records: [{ record_id: '1', phone: PHONE, group: '2', mood: '2', daily_complete: '2' }],
    }), queue(true));

    const response = await world.det({ record: '1', instrument: 'daily', daily_complete: '2' });
    await world.service.redcap.sendDueInvitations();

    expect(response.body).toEqual({ project: 'study', scheduled: 1 });
    expect(world.smsTo(PHONE).at(-1)!.body).toMatch(/sleep/i);
  });
});
