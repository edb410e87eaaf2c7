/**
 * The invitation loop in a service with two projects: each project's due invitations are read on their
 * own, and once a project's REDCap cannot be read its other invitations wait with the one that failed,
 * so one project's cohort or outage holds back no other project's invitations (decision 0012, addendum).
 */
import { afterEach, describe, expect, test } from 'vitest';
import type { FlatRecord } from '../../src/ports/redcap/index.js';
import type { InvitationRow } from '../../src/ports/storage/redcap-sync-store.js';
import { INVITATIONS_PER_PROJECT } from '../../src/use-cases/scheduled-invitations.js';
import type { Service } from '../../src/composition/service.js';
import { OTHER_PHONE, startTwoProjects, type TwoProjects } from '../writeback/two-projects.js';

let world: TwoProjects | undefined;

afterEach(async () => {
  await world?.close();
  world = undefined;
});

const participants = (count: number): FlatRecord[] =>
  Array.from({ length: count }, (_, i) => ({ record_id: String(i + 1), phone: `+1650380${String(3500 + i).padStart(4, '0')}` }));

async function schedule(service: Service, project: string, recordIds: readonly string[], sendAt: string): Promise<void> {
  for (const recordId of recordIds) {
    await service.redcap.sync.scheduleInvitation({ project, recordId, instrument: 'daily', event: '', repeatInstance: 0, mode: 'sms', sendAt, createdAt: sendAt });
  }
}

const byRecord = (rows: readonly InvitationRow[]) =>
  Object.fromEntries(rows.map((row) => [row.recordId, { status: row.status, attempts: row.attempts, sendAt: row.sendAt }]));

describe('invitations of two projects', () => {
  test('when one project’s REDCap cannot be read, then its other due invitations wait with the one that failed, and the other project’s invitation still goes', async () => {
    world = await startTwoProjects({ study: participants(3) });
    const { emulator, clock, service } = world;
    const now = clock.now().toISOString();
    await schedule(service, 'study', ['1', '2', '3'], now);
    await schedule(service, 'other', ['1'], now);
    emulator.failNext(1); // the study's first request: its REDCap is down

    await service.redcap.sendDueInvitations();

    const study = byRecord(await service.redcap.sync.invitations('study'));
    const retryAt = study['1']!.sendAt;
    expect(retryAt > now).toBe(true);
    // Had the loop tried them, they would have gone: only one request was made to fail.
    expect(study).toEqual({
      1: { status: 'pending', attempts: 1, sendAt: retryAt },
      2: { status: 'pending', attempts: 0, sendAt: retryAt },
      3: { status: 'pending', attempts: 0, sendAt: retryAt },
    });
    expect((await service.redcap.sync.invitations('study')).map((row) => row.lastError)).toEqual(Array(3).fill(expect.stringContaining('500')));
    expect(byRecord(await service.redcap.sync.invitations('other'))['1']!.status).toBe('sent');
  });

  test('when REDCap is back by the retry time, then every invitation that waited goes', async () => {
    world = await startTwoProjects({ study: participants(3) });
    const { emulator, clock, service } = world;
    await schedule(service, 'study', ['1', '2', '3'], clock.now().toISOString());
    emulator.failNext(1);
    await service.redcap.sendDueInvitations();

    clock.set(new Date((await service.redcap.sync.invitations('study'))[0]!.sendAt));
    await service.redcap.sendDueInvitations();

    expect((await service.redcap.sync.invitations('study')).map((row) => row.status)).toEqual(['sent', 'sent', 'sent']);
  });

  test('when one project has more invitations due than a round takes, then another project’s later invitation still goes in that round', async () => {
    world = await startTwoProjects();
    const { clock, service } = world;
    // A cohort invited an hour ago and not yet sent: records REDCap does not have, so each costs one read.
    const cohort = Array.from({ length: INVITATIONS_PER_PROJECT + 1 }, (_, i) => `missing-${i}`);
    await schedule(service, 'study', cohort, '2026-03-10T13:00:00.000Z');
    await schedule(service, 'other', ['1'], clock.now().toISOString());

    await service.redcap.sendDueInvitations();

    expect(byRecord(await service.redcap.sync.invitations('other'))['1']!.status).toBe('sent');
    expect((await service.redcap.sync.invitations('study')).filter((row) => row.status === 'pending')).toHaveLength(1);
    expect(service.db.prepare("SELECT phone FROM outbox WHERE channel = 'sms' AND project = 'other'").pluck().all()).toEqual([OTHER_PHONE]);
  });

  test('when an invitation belongs to a project the configuration no longer has, then it is skipped with the reason once due', async () => {
    world = await startTwoProjects();
    const { clock, service } = world;
    await schedule(service, 'gone', ['1'], clock.now().toISOString());
    await schedule(service, 'gone', ['2'], '2026-03-11T14:00:00.000Z');

    await service.redcap.sendDueInvitations();

    const gone = await service.redcap.sync.invitations('gone');
    expect(gone.map((row) => row.status)).toEqual(['skipped', 'pending']);
    expect(gone[0]!.lastError).toMatch(/gone/);
  });
});
