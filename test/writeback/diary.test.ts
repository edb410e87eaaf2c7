/**
 * A daily diary end to end against the REDCap emulator: a Data Entry Trigger plans the first occurrence
 * from the record's start date, each occurrence handled plans the next (durable rows, one per occurrence),
 * an occurrence that closed while nothing ran is missed, the count is respected, and each answer lands in
 * a new repeat instance.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { fireDueTimers } from '../../src/use-cases/index.js';
import { PHONE, STUDY_CSV, projectConfig, repeatingStudy, startWorld, type World } from './harness.js';

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
});
