/**
 * The write-back in a service with two projects: each project's pending writes are read on their own, so
 * one project's backlog never hides another's answers (decision 0012, addendum).
 */
import { afterEach, describe, expect, test } from 'vitest';
import type { FakeClock } from '../../src/adapters/clock.js';
import { handleInbound } from '../../src/use-cases/index.js';
import { ROWS_PER_PROJECT } from '../../src/loops/redcap-write-back.js';
import type { Service } from '../../src/composition/service.js';
import { PHONE, TOKEN } from './harness.js';
import { OTHER_PHONE, OTHER_TOKEN, startTwoProjects, type TwoProjects } from './two-projects.js';

let world: TwoProjects | undefined;

afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function inviteAndAnswer(s: Service, clock: FakeClock, project: string, phone: string, body: string): Promise<void> {
  const now = clock.now().toISOString();
  await s.redcap.sync.scheduleInvitation({ project, recordId: '1', instrument: 'daily', event: '', repeatInstance: 0, mode: 'sms', sendAt: now, createdAt: now });
  await s.redcap.sendDueInvitations();
  await handleInbound(s.conversations, { provider: 'test', providerMessageId: `SM-${project}`, project, from: phone, body });
}

describe('two projects on one service', () => {
  test('when one project has more writes waiting out an outage than a round reads, then the other project’s answer still lands', async () => {
    world = await startTwoProjects();
    const { emulator, clock, service: s } = world;
    await inviteAndAnswer(s, clock, 'study', PHONE, '1');
    emulator.failNext(1);
    expect((await s.redcap.writer.runOnce()).retried).toBe(1);
    // A long outage in a large study: far more of its writes wait for a retry than one round reads.
    s.db.prepare(`
      INSERT INTO outbox (conversation_id, project, channel, kind, phone, payload, status, next_attempt_at, created_at)
      SELECT o.conversation_id, o.project, o.channel, o.kind, o.phone, o.payload, o.status, o.next_attempt_at, o.created_at
      FROM outbox o, (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) SELECT i FROM n)
      WHERE o.channel = 'redcap' AND o.status = 'pending'`).run(ROWS_PER_PROJECT);
    await inviteAndAnswer(s, clock, 'other', OTHER_PHONE, '3');

    const report = await s.redcap.writer.runOnce();

    expect(report).toMatchObject({ sent: 1, retried: 0 });
    const landed = emulator.state.projects.get(OTHER_TOKEN)!.records.list().find((stored) => stored.key.record === '1');
    expect(Object.fromEntries(landed!.values)).toMatchObject({ mood: '3' });
    expect(emulator.state.projects.get(TOKEN)!.records.list().find((stored) => stored.key.record === '1')!.values.get('mood')).toBeUndefined();
  });
});
