/**
 * A daily diary end to end against the REDCap emulator: a Data Entry Trigger plans the first occurrence
 * from the record's start date, each occurrence handled plans the next (durable rows, one per occurrence),
 * an occurrence that closed while nothing ran is missed, the count is respected, and each answer lands in
 * a new repeat instance.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { fireDueTimers } from '../../src/use-cases/index.js';
import { PHONE, STUDY_CSV, TOKEN, classicStudy, longitudinalStudy, projectConfig, repeatingStudy, startWorld, type World } from './harness.js';

/** The study's dictionary with an enrolment date on the contact form. */
const DIARY_CSV = (() => {
  const lines = STUDY_CSV.split('\n');
  lines.splice(2, 0, '"enrolled","contact","","text","Enrolled on","","","date_ymd","","","","","","","","","",""');
  return lines.join('\n');
})();

const diary = { instrument: 'daily', startField: 'enrolled', at: '20:00', count: 3, expireAfter: 'PT4H' };

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function diaryWorld(): Promise<World> {
  return startWorld(
    repeatingStudy({ dictionary: DIARY_CSV, records: [{ record_id: '1', phone: PHONE, enrolled: '2026-03-10' }] }),
    { diaries: [diary] },
    '2026-03-10T14:00:00.000Z',
  );
}

const invitations = async (w: World) => (await w.redcap.sync.invitations('study'))
  .map((i) => ({ occurrence: i.repeatInstance, sendAt: i.sendAt, status: i.status, reason: i.lastError }));

describe('a daily diary', () => {
  test('when a record with a start date is triggered, then its first occurrence is planned once, at 20:00 in the project zone', async () => {
    world = await diaryWorld();
    await world.redcap.handleDet({ projectId: '33', record: '1', instrument: 'contact', event: null });
    await world.redcap.handleDet({ projectId: '33', record: '1', instrument: 'contact', event: null });
    // 10 March 2026 is after the US spring change: 20:00 EDT is midnight UTC.
    expect(await invitations(world)).toEqual([{ occurrence: 1, sendAt: '2026-03-11T00:00:00.000Z', status: 'pending', reason: null }]);
  });

  test('when occurrences come due, then each is sent and plans the next, a missed one is skipped, and the count is kept', async () => {
    world = await diaryWorld();
    await world.redcap.handleDet({ projectId: '33', record: '1', instrument: 'contact', event: null });

    world.clock.set(new Date('2026-03-11T00:00:00.000Z'));
    await world.redcap.sendDueInvitations();
    for (const reply of ['1', '1,3', '2026-03-10']) await world.reply(reply);
    await world.writeBack();

    // The service does nothing on 12 March until after the second occurrence closed (04:00 UTC).
    world.clock.set(new Date('2026-03-12T05:00:00.000Z'));
    await world.redcap.sendDueInvitations();

    world.clock.set(new Date('2026-03-13T00:00:00.000Z'));
    await world.redcap.sendDueInvitations();

    expect(await invitations(world)).toEqual([
      { occurrence: 1, sendAt: '2026-03-11T00:00:00.000Z', status: 'sent', reason: null },
      { occurrence: 2, sendAt: '2026-03-12T00:00:00.000Z', status: 'skipped', reason: 'missed: the diary occurrence closed before it could be sent' },
      { occurrence: 3, sendAt: '2026-03-13T00:00:00.000Z', status: 'sent', reason: null },
    ]);
    const instances = world.records('1').filter((row) => row.redcap_repeat_instrument === 'daily');
    expect(instances.map((row) => [row.redcap_repeat_instance, row.mood, row.daily_complete])).toEqual([['1', '1', '2']]);
  });

  test('when a diary conversation gets no reply, then it expires after the diary\'s expireAfter, not the project\'s', async () => {
    world = await diaryWorld();
    await world.redcap.handleDet({ projectId: '33', record: '1', instrument: 'contact', event: null });
    world.clock.set(new Date('2026-03-11T00:00:00.000Z'));
    await world.redcap.sendDueInvitations();

    world.clock.set(new Date('2026-03-11T04:00:01.000Z'));
    await fireDueTimers(world.conversations);

    expect((await world.conversations.store.conversations('study')).map((c) => c.status)).toEqual(['expired']);
  });

  test('when the record has no start date, then no occurrence is planned', async () => {
    world = await startWorld(repeatingStudy({ dictionary: DIARY_CSV, records: [{ record_id: '1', phone: PHONE }] }), { diaries: [diary] });
    await world.redcap.handleDet({ projectId: '33', record: '1', instrument: 'contact', event: null });
    expect(await invitations(world)).toEqual([]);
  });
});

describe('a diary started by the sweep, without a Data Entry Trigger', () => {
  /** The study with no record yet; records arrive by API import, which sends REDCap no DET. */
  async function sweptWorld(): Promise<World> {
    const w = await startWorld(repeatingStudy({ dictionary: DIARY_CSV, records: [] }), { diaries: [diary] });
    await w.redcap.pullAll();
    return w;
  }
  const importRecord = (w: World, record: Record<string, string>) => w.redcap.client('study').importRecords([record]);
  const fifteenMinutes = 15 * 60_000;

  test('when a record is imported by the API with a start date, then the sweep plans its first occurrence and the diary runs', async () => {
    world = await sweptWorld();
    await importRecord(world, { record_id: '7', phone: PHONE, enrolled: '2026-03-10' });
    await importRecord(world, { record_id: '8', phone: PHONE });

    expect(await world.redcap.sweepDiaries()).toEqual({ swept: 1, planned: 1, failed: 0 });
    expect(await invitations(world)).toEqual([{ occurrence: 1, sendAt: '2026-03-11T00:00:00.000Z', status: 'pending', reason: null }]);

    world.clock.set(new Date('2026-03-11T00:00:00.000Z'));
    await world.redcap.sendDueInvitations();
    expect(await invitations(world)).toEqual([
      { occurrence: 1, sendAt: '2026-03-11T00:00:00.000Z', status: 'sent', reason: null },
      { occurrence: 2, sendAt: '2026-03-12T00:00:00.000Z', status: 'pending', reason: null },
    ]);
    expect((await world.conversations.store.conversations('study')).map((c) => c.recordId)).toEqual(['7']);
  });

  test('when the sweep runs again at its next turn, then it reads REDCap but plans nothing new', async () => {
    world = await sweptWorld();
    await importRecord(world, { record_id: '7', phone: PHONE, enrolled: '2026-03-10' });
    await world.redcap.sweepDiaries();

    const early = world.emulator.state.requests.length;
    world.clock.advance(fifteenMinutes - 1);
    expect(await world.redcap.sweepDiaries()).toEqual({ swept: 0, planned: 0, failed: 0 });
    expect(world.requestsSince(early)).toEqual([]);

    world.clock.advance(1);
    const mark = world.emulator.state.requests.length;
    expect(await world.redcap.sweepDiaries()).toEqual({ swept: 1, planned: 0, failed: 0 });
    expect(world.requestsSince(mark)).toEqual([{ content: 'record', status: 200 }, { content: 'record', status: 200 }]);
    expect(await invitations(world)).toHaveLength(1);
  });

  test('when REDCap is down for a round, then that round plans nothing, says so without the number, and the next turn recovers', async () => {
    world = await sweptWorld();
    await importRecord(world, { record_id: '7', phone: PHONE, enrolled: '2026-03-10' });
    world.emulator.failNext(1);

    expect(await world.redcap.sweepDiaries()).toEqual({ swept: 1, planned: 0, failed: 1 });
    expect(await invitations(world)).toEqual([]);
    const warning = world.logs.find((line) => line.includes('diary sweep could not read REDCap'));
    expect(warning).toBeDefined();
    for (const secret of [PHONE, '6503803405', '2026-03-10', TOKEN]) expect(warning).not.toContain(secret);

    world.clock.advance(fifteenMinutes);
    expect(await world.redcap.sweepDiaries()).toEqual({ swept: 1, planned: 1, failed: 0 });
    expect(await invitations(world)).toHaveLength(1);
  });

  test('when no record has a start date, then the sweep reads only the filtered export and plans nothing', async () => {
    world = await sweptWorld();
    await importRecord(world, { record_id: '8', phone: PHONE });
    const mark = world.emulator.state.requests.length;
    expect(await world.redcap.sweepDiaries()).toEqual({ swept: 1, planned: 0, failed: 0 });
    expect(world.requestsSince(mark)).toEqual([{ content: 'record', status: 200 }]);
  });

  test('when the project is longitudinal and `until` reads another event, then the sweep reads the whole record, not only the row the filter kept', async () => {
    const diaryEvents = { events: [{ unique_event_name: 'baseline_arm_1' }, { unique_event_name: 'day_1_arm_1' }], repeating: [{ form_name: 'daily', event: 'day_1_arm_1' }] };
    world = await startWorld(
      longitudinalStudy({ dictionary: DIARY_CSV, ...diaryEvents, records: [] }),
      { diaries: [{ ...diary, event: 'day_1_arm_1', until: "[sleep] <> ''" }] },
    );
    await world.redcap.pullAll();
    await world.redcap.client('study').importRecords([
      { record_id: '7', redcap_event_name: 'baseline_arm_1', phone: PHONE, enrolled: '2026-03-10' },
      { record_id: '8', redcap_event_name: 'baseline_arm_1', phone: PHONE, enrolled: '2026-03-10' },
      { record_id: '8', redcap_event_name: 'day_1_arm_1', sleep: '7' },
    ]);

    expect(await world.redcap.sweepDiaries()).toEqual({ swept: 1, planned: 1, failed: 0 });
    expect((await world.redcap.sync.invitations('study')).map((i) => [i.recordId, i.event, i.repeatInstance])).toEqual([['7', 'day_1_arm_1', 1]]);
  });

  test('when a project has no diaries, then the sweep makes no request', async () => {
    world = await startWorld(classicStudy({ records: [{ record_id: '1', phone: PHONE }] }));
    const mark = world.emulator.state.requests.length;
    expect(await world.redcap.sweepDiaries()).toEqual({ swept: 0, planned: 0, failed: 0 });
    expect(world.requestsSince(mark)).toEqual([]);
  });
});

describe('diary settings in the project file', () => {
  test.each([
    ['a window that closes before it opens', { at: { from: '21:00', to: '09:00' } }, '`from` must be before `to` on the same day'],
    ['an unknown weekday', { every: ['mon', 'someday'] }, 'diaries.0.every'],
    ['a misspelt key', { cout: 3 }, 'diaries.0.cout is not a known setting'],
    ['no time', { at: undefined }, 'diaries.0.at is required'],
    ['a time that is not one', { at: 'evening' }, 'diaries.0.at must be a 24-hour time HH:MM'],
  ])('when a diary has %s, then the project file is refused with the place', (_, change, message) => {
    const settings = { diaries: [{ ...diary, ...change }] };
    expect(() => projectConfig('http://127.0.0.1:9/api/', JSON.parse(JSON.stringify(settings)))).toThrow(message);
  });

  test.each([
    ['more often than once a minute', 'PT30S', 'diarySweepEvery must be at least PT1M'],
    ['not a duration', 'hourly', 'diarySweepEvery must be an ISO 8601 duration'],
  ])('when the diary sweep runs %s, then the project file is refused with the place', (_, every, message) => {
    expect(() => projectConfig('http://127.0.0.1:9/api/', { diaries: [diary], diarySweepEvery: every })).toThrow(message);
  });

  test('when the project file says nothing of the sweep, then it runs every 15 minutes', () => {
    expect(projectConfig('http://127.0.0.1:9/api/', { diaries: [diary] }).diarySweepEvery).toBe('PT15M');
  });
});
