import { afterEach, describe, expect, test } from 'vitest';
import type { EmulatorProjectConfig } from '../../src/demo/redcap-emulator/index.js';
import { sqliteAdminQueries } from '../../src/adapters/admin/sqlite-admin-queries.js';
import { handleInbound } from '../../src/use-cases/index.js';
import { ADMIN_TOKEN, startService } from '../det/service-harness.js';
import { PHONE, classicStudy, longitudinalStudy, repeatingStudy, startWorld, type World } from './harness.js';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const ANSWERS = { mood: '1', symptoms___1: '1', symptoms___2: '0', symptoms___3: '1', visit_date: '2026-03-09' };

/** Invites record 1 to `daily` through the invitation loop, as a DET rule or the queue would. */
async function inviteToDaily(w: World, event = ''): Promise<string> {
  const now = w.clock.now().toISOString();
  await w.redcap.sync.scheduleInvitation({ project: 'study', recordId: '1', instrument: 'daily', event, repeatInstance: 0, mode: 'sms', sendAt: now, createdAt: now });
  await w.redcap.sendDueInvitations();
  const [invitation] = await w.redcap.sync.invitations('study');
  expect(invitation).toMatchObject({ status: 'sent' });
  return invitation!.conversationId!;
}

async function answerAll(w: World): Promise<void> {
  for (const reply of ['1', '1,3', '2026-03-09']) await w.reply(reply);
}

const successfulImports = (w: World, mark: number) =>
  w.requestsSince(mark).filter((r) => r.content === 'record' && r.status === 200).length;

describe('answers land in REDCap with the right columns', () => {
  test.each([
    {
      kind: 'classic',
      project: classicStudy({ records: [{ record_id: '1', phone: '(650) 380-3405' }] }),
      event: '',
      expected: { record_id: '1', ...ANSWERS, daily_complete: '2' },
    },
    {
      kind: 'longitudinal',
      project: longitudinalStudy({ records: [{ record_id: '1', redcap_event_name: 'baseline_arm_1', phone: '6503803405' }] }),
      event: 'day_1_arm_1',
      expected: { record_id: '1', redcap_event_name: 'day_1_arm_1', ...ANSWERS, daily_complete: '2' },
    },
    {
      kind: 'repeating',
      project: repeatingStudy({
        records: [
          { record_id: '1', phone: PHONE },
          { record_id: '1', redcap_repeat_instrument: 'daily', redcap_repeat_instance: '1', mood: '3', daily_complete: '2' },
        ],
      }),
      event: '',
      expected: { record_id: '1', redcap_repeat_instrument: 'daily', redcap_repeat_instance: '2', ...ANSWERS, daily_complete: '2' },
    },
  ] satisfies { kind: string; project: EmulatorProjectConfig; event: string; expected: Record<string, string> }[])(
    'when a $kind survey is answered by SMS, then one coalesced import writes its row, checkbox columns and completion',
    async ({ project, event, expected }) => {
      world = await startWorld(project);
      await inviteToDaily(world, event);
      await answerAll(world);
      const mark = world.emulator.state.requests.length;

      await world.writeBack();

      expect(world.records('1')).toContainEqual(expect.objectContaining(expected));
      expect(successfulImports(world, mark)).toBe(1);
    },
  );

  test('when the first answer lands before the last, then {form}_complete is 0 in between and 2 at the end', async () => {
    world = await startWorld(classicStudy({ records: [{ record_id: '1', phone: PHONE }] }));
    await inviteToDaily(world);

    await world.reply('2');
    await world.writeBack();
    const during = world.records('1')[0];
    await world.reply('2');
    await world.reply('2026-03-08');
    await world.writeBack();

    expect(during).toMatchObject({ mood: '2', daily_complete: '0' });
    expect(world.records('1')[0]).toMatchObject({ mood: '2', symptoms___2: '1', visit_date: '2026-03-08', daily_complete: '2' });
  });

  test('when an earlier survey instance exists, then the conversation writes a new instance and leaves the old one alone', async () => {
    world = await startWorld(repeatingStudy({
      records: [
        { record_id: '1', phone: PHONE },
        { record_id: '1', redcap_repeat_instrument: 'daily', redcap_repeat_instance: '1', mood: '3', daily_complete: '2' },
      ],
    }));
    await inviteToDaily(world);
    await answerAll(world);

    await world.writeBack();

    const instances = world.records('1').filter((row) => row.redcap_repeat_instrument === 'daily');
    expect(instances.map((row) => [row.redcap_repeat_instance, row.mood])).toEqual([['1', '3'], ['2', '1']]);
  });
});

describe('REDCap down', () => {
  test('when REDCap fails 100 requests and then comes back, then every answer lands exactly once', async () => {
    world = await startWorld(classicStudy({ records: [{ record_id: '1', phone: PHONE }] }));
    await inviteToDaily(world);
    await world.reply('1');
    world.emulator.failNext(100);
    const mark = world.emulator.state.requests.length;

    let landed = false;
    for (let round = 0; round < 150 && !landed; round += 1) {
      if (round === 50) await world.reply('1,3'); // answers keep coming while REDCap is down
      if (round === 60) await world.reply('2026-03-09');
      const report = await world.redcap.writer.runOnce();
      landed = report.sent > 0;
      world.clock.advance(11 * 60_000); // past the longest backoff
    }

    const requests = world.requestsSince(mark);
    expect(landed).toBe(true);
    expect(requests.filter((r) => r.status === 500)).toHaveLength(100);
    expect(successfulImports(world, mark)).toBe(1);
    expect(world.records('1')[0]).toMatchObject({ record_id: '1', ...ANSWERS, daily_complete: '2' });
    const redcapRows = world.db.prepare(`SELECT status FROM outbox WHERE channel = 'redcap' AND kind = 'write'`).all();
    expect(redcapRows).toEqual(Array(redcapRows.length).fill({ status: 'sent' }));
  });

  test('when a write is waiting for a retry, then it is not sent before its backoff is over', async () => {
    world = await startWorld(classicStudy({ records: [{ record_id: '1', phone: PHONE }] }));
    await inviteToDaily(world);
    await world.reply('1');
    world.emulator.failNext(1);

    const first = await world.redcap.writer.runOnce();
    const tooSoon = await world.redcap.writer.runOnce();
    world.clock.advance(3_000);
    const afterBackoff = await world.redcap.writer.runOnce();

    expect([first.retried, tooSoon.sent + tooSoon.retried, afterBackoff.sent]).toEqual([1, 0, 1]);
  });
});

describe('a write REDCap refuses', () => {
  /** `daily` is not designated for the baseline event, so REDCap refuses its fields there (HTTP 400). */
  const misdesignated = () => longitudinalStudy({ records: [{ record_id: '1', redcap_event_name: 'baseline_arm_1', phone: PHONE }] });

  test('when REDCap rejects the import as invalid, then it is kept as failed, shown with the conversation and logged, and not retried', async () => {
    world = await startWorld(misdesignated());
    const conversationId = await inviteToDaily(world, 'baseline_arm_1');
    await world.reply('1');

    const first = await world.redcap.writer.runOnce();
    world.clock.advance(60 * 60_000);
    const later = await world.redcap.writer.runOnce();

    expect(first.failed).toBe(1);
    expect(later.sent + later.retried + later.failed).toBe(0);
    const failures = await sqliteAdminQueries(world.db).redcapWriteFailures(conversationId);
    expect(failures).toHaveLength(1);
    expect(failures[0]!.error).toMatch(/HTTP 400.*mood/);
    expect(world.logs.some((line) => /refused a write for good/.test(line) && /"level":50/.test(line))).toBe(true);
  });

  test('when a write is refused, then neither its stored error nor the log holds the answer or the phone number', async () => {
    world = await startWorld(misdesignated());
    await inviteToDaily(world, 'baseline_arm_1');
    await world.reply('Good');

    await world.redcap.writer.runOnce();

    const stored = world.db.prepare(`SELECT last_error FROM outbox WHERE status = 'failed'`).all();
    const text = JSON.stringify(stored) + world.logs.join('');
    expect(stored).toHaveLength(1);
    for (const secret of [PHONE, '6503803405', 'Good']) expect(text).not.toContain(secret);
  });

  test('when a pending write belongs to a project the configuration no longer has, then it is kept as failed and the other answers still land', async () => {
    world = await startWorld(classicStudy({ records: [{ record_id: '1', phone: PHONE }] }));
    await inviteToDaily(world);
    await world.reply('1');
    // As if the project file had lost the project that queued this answer, before it reached REDCap.
    world.db.prepare(`UPDATE outbox SET project = 'removed' WHERE channel = 'redcap'`).run();
    await world.reply('1,3');

    const report = await world.redcap.writer.runOnce();

    expect(report).toMatchObject({ sent: 1, failed: 1 });
    expect(world.records('1')[0]).toMatchObject({ symptoms___1: '1', symptoms___3: '1' });
    const orphan = world.db.prepare(`SELECT status, last_error FROM outbox WHERE project = 'removed'`).get();
    expect(orphan).toEqual({ status: 'failed', last_error: 'project removed is not configured' });
    expect(world.logs.some((line) => /a project that is not configured; kept for staff/.test(line) && /"level":50/.test(line))).toBe(true);
  });

  test('when a write was refused, then GET /api/conversations/:id shows it with REDCap\'s reason', async () => {
    const service = await startService(misdesignated(), { invitationRules: [{ instrument: 'daily', event: 'baseline_arm_1' }] });
    try {
      await service.det({ record: '1', instrument: 'contact', redcap_event_name: 'baseline_arm_1' });
      await service.service.redcap.sendDueInvitations();
      const [invitation] = await service.service.redcap.sync.invitations('study');
      await handleInbound(service.service.conversations, { provider: 'test', providerMessageId: 'SM1', project: 'study', from: PHONE, body: '1' });
      await service.service.redcap.writer.runOnce();

      const response = await service.http.get(`/api/conversations/${invitation!.conversationId!}`).set('Authorization', `Bearer ${ADMIN_TOKEN}`);

      expect(response.status).toBe(200);
      expect(response.body.redcapWriteFailures).toEqual([
        { outboxId: expect.any(Number), error: expect.stringMatching(/not designated for the event/), createdAt: expect.any(String) },
      ]);
    } finally {
      await service.close();
    }
  });
});
