import { describe, expect, it } from 'vitest';
import { RevisionConflict } from '../../src/adapters/storage/index.js';
import { engineDeliveryEvents } from '../../src/use-cases/delivery-results.js';
import { fireDueTimers, invite, resumeConversation } from '../../src/use-cases/index.js';
import { ProjectNotConfigured } from '../../src/use-cases/project-not-configured.js';
import { PROJECT, testWorld } from './world.js';
import { PHONE, demoSurvey } from '../conversation/demo-survey.js';

const OTHER_PHONE = '+16505550199';
const notConfigured = (id: string): never => {
  throw new ProjectNotConfigured(id);
};

describe('handleInbound', () => {
  it('when a webhook is retried with the same message id, then nothing changes', async () => {
    const world = testWorld({ reminders: ['PT4H'] });
    await world.invite();
    const first = await world.text('1', 'SM-dup');
    const before = world.dump();
    const again = await world.text('1', 'SM-dup');
    expect(first).toMatchObject({ duplicate: false, conversationId: 'c0001' });
    expect(again).toEqual({ duplicate: true, conversationId: null });
    expect(world.dump()).toEqual(before);
  });

  it('when saving fails inside the unit of work, then the inbound is not recorded, so a retry is processed', async () => {
    const world = testWorld();
    await world.invite();
    const before = world.dump();
    const original = world.store.unit.updateConversation.bind(world.store.unit);
    world.store.unit.updateConversation = () => {
      throw new RevisionConflict('c0001', 0);
    };
    await expect(world.text('1', 'SM-race')).rejects.toThrow(RevisionConflict);
    expect(world.dump()).toEqual(before);
    world.store.unit.updateConversation = original;
    expect(await world.text('1', 'SM-race')).toMatchObject({ duplicate: false, conversationId: 'c0001' });
  });

  it('when an answer arrives, then the write, the next question and the timers are stored in the same commit', async () => {
    const world = testWorld({ reminders: ['PT4H'], expiry: 'P1D' });
    await world.invite();
    await world.text('2');
    const rows = await world.store.outbox('c0001');
    expect(rows.map((row) => [row.channel, row.kind])).toEqual([['sms', 'invitation'], ['redcap', 'write'], ['sms', 'question']]);
    expect(rows[1]?.payload).toEqual({ record: '1', instrument: 'daily', values: { mood: '2', daily_complete: '0' } });
    expect((await world.store.pendingTimers('c0001')).map((t) => [t.kind, t.dueAt, t.revision])).toEqual([
      ['reminder', '2026-03-02T19:00:00.000Z', 2],
      ['expiry', '2026-03-03T15:00:00.000Z', 2],
    ]);
    expect(await world.store.conversation('c0001')).toMatchObject({ status: 'asking', revision: 1 });
  });

  it('when the phone texts STOP, then later invitations and deferred texts are stored as suppressed', async () => {
    const world = testWorld({ quietHours: { start: '21:00', end: '08:00' } });
    world.clock.set('2026-03-02T23:00:00Z');
    await world.invite('weekly');
    await world.text('STOP');
    await world.invite('daily');
    expect(world.texts().map((t) => t.status)).toEqual(['suppressed', 'suppressed']);
    expect(await world.store.isOptedOut(PROJECT, PHONE)).toBe(true);
  });
});

describe('fireDueTimers', () => {
  it('when a timer set for an older revision comes due, then it changes nothing', async () => {
    const world = testWorld({ reminders: ['PT4H'] });
    await world.invite();
    await world.text('1');
    // The race an inbound can lose against the timer loop: an old-revision timer still pending.
    await world.store.setTimer('c0001', 'reminder', '2026-03-02T16:00:00.000Z', 1);
    world.clock.set('2026-03-02T16:00:00Z');
    const before = await world.store.conversation('c0001');
    const sent = world.texts().length;
    expect(await fireDueTimers(world.deps)).toBe(1);
    expect(await world.store.conversation('c0001')).toEqual(before);
    expect(world.texts()).toHaveLength(sent);
  });

  it('when one conversation’s timer cannot be stepped, then the other due timers still fire and the failure is reported', async () => {
    const world = testWorld({ reminders: ['PT4H'] });
    await world.invite();
    await invite(world.deps, { project: PROJECT, survey: demoSurvey(), instrument: 'daily', recordId: '2', phone: OTHER_PHONE, record: { record_id: '2' } });
    // As if the project file had lost the first conversation's project while its reminder was pending.
    world.store.db.prepare(`UPDATE conversations SET project = 'removed' WHERE id = 'c0001'`).run();
    const configured = world.deps.project;
    const deps = { ...world.deps, project: (id: string) => (id === 'removed' ? notConfigured(id) : configured(id)) };
    const failures: string[] = [];
    world.clock.set('2026-03-02T19:00:00Z');

    expect(await fireDueTimers(deps, (failure) => failures.push(`${failure.conversationId}: ${failure.reason}`))).toBe(2);

    expect(world.texts().filter((text) => text.body.startsWith('Reminder:'))).toHaveLength(1);
    expect(failures).toEqual(['c0001: project removed is not configured']);
    // Its timers can never fire, so they are cancelled: the failure is reported once, not every round.
    expect(await world.store.pendingTimers('c0001')).toEqual([]);
    expect(await fireDueTimers(deps, (failure) => failures.push(failure.reason))).toBe(0);
  });

  it('when a timer cannot be stepped and nobody listens for failures, then it throws after the others have fired', async () => {
    const world = testWorld({ reminders: ['PT4H'] });
    await world.invite();
    await invite(world.deps, { project: PROJECT, survey: demoSurvey(), instrument: 'daily', recordId: '2', phone: OTHER_PHONE, record: { record_id: '2' } });
    const original = world.store.unit.conversation.bind(world.store.unit);
    world.store.unit.conversation = async (id) => {
      if (id === 'c0001') throw new Error('disk I/O error');
      return original(id);
    };
    world.clock.set('2026-03-02T19:00:00Z');

    await expect(fireDueTimers(world.deps)).rejects.toThrow('disk I/O error');
    expect(world.texts().filter((text) => text.body.startsWith('Reminder:'))).toHaveLength(1);
    expect(await world.store.pendingTimers('c0001')).toHaveLength(1);
  });

  it('when the current reminder comes due, then the question goes again with the prefix', async () => {
    const world = testWorld({ reminders: ['PT4H'] });
    await world.invite();
    world.clock.set('2026-03-02T19:00:00Z');
    expect(await fireDueTimers(world.deps)).toBe(1);
    expect(world.texts().at(-1)?.body).toBe('Reminder:\nHow is your mood today? (1) Good, (2) OK, (3) Bad.');
    expect(await fireDueTimers(world.deps)).toBe(0);
  });
});

describe('delivery feedback', () => {
  it('when the provider reports an opt-out, then every open conversation of the phone is opted out and quiet', async () => {
    const world = testWorld({ reminders: ['PT4H'], overlap: 'FIRST' });
    await world.invite('daily');
    await world.invite('weekly');
    await engineDeliveryEvents(world.deps).providerOptOut({ conversationId: 'c0001', project: PROJECT, phone: PHONE, at: world.clock.now().toISOString() });
    expect((await world.store.conversations(PROJECT)).map((c) => c.status)).toEqual(['opted_out', 'opted_out']);
    expect(await world.store.pendingTimers('c0001')).toEqual([]);
    expect(await world.store.isOptedOut(PROJECT, PHONE)).toBe(true);
  });

  it('when a text fails for good, then the conversation is flagged and stays where it was', async () => {
    const world = testWorld();
    await world.invite('daily');
    await engineDeliveryEvents(world.deps).deliveryFailed({
      outboxId: 1, conversationId: 'c0001', project: PROJECT, phone: PHONE, reason: 'undelivered (30003)', at: world.clock.now().toISOString(),
    });
    expect((await world.store.conversation('c0001'))?.status).toBe('asking');
    expect((await world.store.transcript('c0001')).at(-1)).toMatchObject({ direction: 'event', kind: 'flag', body: 'a text could not be delivered' });
  });
});

describe('staff actions and stored versions', () => {
  it('when staff resume a paused conversation, then the question goes again and replies count again', async () => {
    const world = testWorld({ loopGuard: { maxInvalid: 2, windowMinutes: 5 } });
    await world.invite();
    await world.text('x');
    await world.text('y');
    expect((await world.store.conversation('c0001'))?.status).toBe('paused');
    expect(await resumeConversation(world.deps, 'c0001')).toBe(true);
    expect(world.texts().at(-1)?.body).toBe('How is your mood today? (1) Good, (2) OK, (3) Bad.');
    await world.text('1');
    expect((await world.store.conversation('c0001'))?.status).toBe('asking');
    expect(await resumeConversation(world.deps, 'c0001')).toBe(false);
  });

  it('when a stored snapshot was written by another machine version, then it is flagged, not restarted', async () => {
    const world = testWorld();
    await world.invite();
    world.store.db.prepare("UPDATE conversations SET machine_version = 99 WHERE id = 'c0001'").run();
    const before = world.texts();
    await world.text('1');
    expect(await world.store.conversation('c0001')).toMatchObject({ status: 'needs_attention', machineVersion: 99 });
    expect(world.texts()).toEqual(before);
    expect((await world.store.transcript('c0001')).at(-1)).toMatchObject({ kind: 'flag', body: expect.stringMatching(/machine 99/) });
  });
});
