/**
 * The diary sweep in a service with two projects (decision 0058): the loop starts with the service and
 * plans a record's first occurrence with no Data Entry Trigger, and one project's REDCap outage holds back
 * no other project's diaries.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { OTHER_PHONE, startTwoProjects, type TwoProjects } from '../writeback/two-projects.js';
import { PHONE } from '../writeback/harness.js';

let world: TwoProjects | undefined;

afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** The weekly survey every evening from the record's visit date, in both projects. */
const diaries = { diaries: [{ instrument: 'weekly', startField: 'visit_date', at: '20:00', count: 3 }] };

const startBoth = () => startTwoProjects(
  { study: [{ record_id: '1', phone: PHONE, visit_date: '2026-03-10' }], other: [{ record_id: '1', phone: OTHER_PHONE, visit_date: '2026-03-10' }] },
  { study: diaries, other: diaries },
);

const planned = async (w: TwoProjects, project: string) =>
  (await w.service.redcap.sync.invitations(project)).map((row) => ({ record: row.recordId, occurrence: row.repeatInstance, sendAt: row.sendAt }));

const FIRST = { record: '1', occurrence: 1, sendAt: '2026-03-11T00:00:00.000Z' };

describe('the diary sweep in the service', () => {
  test('when the service starts, then the sweep plans each project\'s first occurrences without a DET', async () => {
    world = await startBoth();
    world.service.redcap.start();
    await expect.poll(async () => [await planned(world!, 'study'), await planned(world!, 'other')]).toEqual([[FIRST], [FIRST]]);
  });

  test('when one project\'s REDCap cannot be read, then the other project\'s diary is still planned and the first recovers at its next turn', async () => {
    world = await startBoth();
    world.emulator.failNext(1); // the study is read first: its REDCap is down

    expect(await world.service.redcap.sweepDiaries()).toEqual({ swept: 2, planned: 1, failed: 1 });
    expect(await planned(world, 'study')).toEqual([]);
    expect(await planned(world, 'other')).toEqual([FIRST]);

    world.clock.advance(15 * 60_000);
    expect(await world.service.redcap.sweepDiaries()).toEqual({ swept: 2, planned: 1, failed: 0 });
    expect(await planned(world, 'study')).toEqual([FIRST]);
  });
});
