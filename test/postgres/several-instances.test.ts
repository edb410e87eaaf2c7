import { afterEach, describe, expect, it } from 'vitest';
import { openPostgresStorage, type PostgresStorage } from '../../src/adapters/postgres/open-postgres.js';
import { RevisionConflict } from '../../src/ports/storage/conversation-store.js';
import type { ConversationRow } from '../../src/ports/storage/rows.js';
import { demoSurvey } from '../conversation/demo-survey.js';
import { freshSchemas, MIGRATED_AT } from './fresh-storage.js';

/**
 * What PostgreSQL adds to the storage contract: several instances on one database. Each "instance" is a
 * storage of its own (its own pool) on the same schema, as two processes would be.
 */
const schema = freshSchemas();
const opened: PostgresStorage[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((storage) => storage.close()));
});

async function instances(count: number, claimLeaseSeconds = 120): Promise<PostgresStorage[]> {
  const url = await schema();
  const all = await Promise.all(Array.from({ length: count }, () => openPostgresStorage(url, { now: MIGRATED_AT, claimLeaseSeconds })));
  opened.push(...all);
  return all;
}

const AT = '2026-03-02T15:00:00.000Z';
const PHONE = '+15551230001';
const OTHER_PHONE = '+15551230002';
const survey = demoSurvey();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function conversation(id: string, overrides: Partial<ConversationRow> = {}): ConversationRow {
  return {
    id, project: 'p', phone: PHONE, recordId: '1', instrument: 'daily', surveyVersion: survey.id, status: 'asking', open: true,
    active: true, snapshot: { value: 'asking' }, snapshotFormat: 1, machineVersion: 1, revision: 0, createdAt: AT, updatedAt: AT,
    ...overrides,
  };
}

/** Expires every lease, as two minutes passing would. */
async function leasesRunOut(storage: PostgresStorage): Promise<void> {
  for (const table of ['outbox', 'timers', 'scheduled_invitations', 'redcap_triggers']) {
    await storage.pool.query(`UPDATE ${table} SET lease_until = clock_timestamp() - interval '1 second' WHERE lease_until IS NOT NULL`);
  }
}

describe('PostgreSQL, several instances on one database: units of work', () => {
  it.each([
    ['the same participant', PHONE, ['A locked', 'A commits', 'B reads']],
    ['another participant', OTHER_PHONE, ['A locked', 'B reads', 'A commits']],
  ])('when two instances run a unit for %s at once, then the second waits only for the same participant', async (_case, phoneB, order) => {
    const [a, b] = await instances(2);
    const events: string[] = [];
    const unitA = a!.conversations.transaction(async (tx) => {
      await tx.insertInbound({ provider: 'twilio', providerMessageId: 'SM1', project: 'p', phone: PHONE, receivedAt: AT });
      events.push('A locked');
      await sleep(300);
      events.push('A commits');
    });
    await sleep(100);
    const unitB = b!.conversations.transaction(async (tx) => {
      await tx.openConversations('p', phoneB);
      events.push('B reads');
    });
    await Promise.all([unitA, unitB]);
    expect(events).toEqual(order);
  });

  it("when an instance's save of answers is rolled back and another instance saves other answers at that revision, then the first reads the other's", async () => {
    const [a, b] = await instances(2);
    await a!.conversations.saveSurvey(survey, AT);
    const answering = (value: string) => ({ value: 'asking', context: { record: { q1: value }, answered: ['q1'] } });
    await a!.conversations.insertConversation(conversation('c1', { snapshot: { value: 'asking', context: { record: {}, answered: [] } } }));
    await a!.conversations.conversation('c1'); // kept by a's cache
    await expect(a!.conversations.transaction(async (tx) => {
      await tx.updateConversation(conversation('c1', { snapshot: answering('from a') }), 0, undefined, { record: { q1: 'from a' }, answered: 0 });
      throw new Error('the unit of work failed');
    })).rejects.toThrow('the unit of work failed');
    await b!.conversations.updateConversation(conversation('c1', { snapshot: answering('from b') }), 0, undefined, { record: { q1: 'from b' }, answered: 0 });
    expect(await a!.conversations.conversation('c1')).toMatchObject({ revision: 1, snapshot: answering('from b') });
  });

  it('when a unit of work meets a save another instance made, then it runs again on the new revision and commits', async () => {
    const [a, b] = await instances(2);
    await a!.conversations.saveSurvey(survey, AT);
    await a!.conversations.insertConversation(conversation('c1'));
    let attempts = 0;
    await a!.conversations.transaction(async (tx) => {
      attempts += 1;
      const row = (await tx.conversation('c1'))!;
      if (attempts === 1) await b!.conversations.updateConversation(conversation('c1', { status: 'other' }), 0);
      await tx.updateConversation({ ...row, status: `attempt ${attempts}` }, row.revision);
    });
    expect([attempts, await b!.conversations.conversation('c1')]).toEqual([2, expect.objectContaining({ status: 'attempt 2', revision: 2 })]);
  });

  it('when every attempt meets a newer save, then after three attempts the conflict is the caller\'s and nothing is kept', async () => {
    const [a, b] = await instances(2);
    await a!.conversations.saveSurvey(survey, AT);
    await a!.conversations.insertConversation(conversation('c1'));
    let attempts = 0;
    const unit = a!.conversations.transaction(async (tx) => {
      attempts += 1;
      const row = (await tx.conversation('c1'))!;
      await tx.enqueue({ conversationId: 'c1', project: 'p', channel: 'sms', kind: 'question', phone: PHONE, payload: { body: 'Q' },
        status: 'pending', nextAttemptAt: AT, createdAt: AT });
      await b!.conversations.updateConversation(conversation('c1', { status: 'other' }), row.revision);
      await tx.updateConversation(row, row.revision);
    });
    await expect(unit).rejects.toThrow(RevisionConflict);
    expect([attempts, await a!.conversations.outbox('c1')]).toEqual([3, []]);
  });
});

describe('PostgreSQL, several instances on one database: claims and leases', () => {
  it('when two instances read the due timers at once, then each timer goes to exactly one of them', async () => {
    const [a, b] = await instances(2);
    await a!.conversations.saveSurvey(survey, AT);
    await a!.conversations.insertConversation(conversation('c1'));
    for (let n = 0; n < 40; n += 1) await a!.conversations.setTimer('c1', 'reminder', AT, 0);
    const [forA, forB] = await Promise.all([a!.conversations.dueTimers(AT, 25), b!.conversations.dueTimers(AT, 25)]);
    const ids = [...forA, ...forB].map((timer) => timer.id);
    expect([new Set(ids).size, ids.length]).toEqual([40, 40]);
  });

  it('when an instance dies holding due timers, invitations and kept triggers, then another takes them over once their leases run out', async () => {
    const [a, b] = await instances(2);
    await a!.conversations.saveSurvey(survey, AT);
    await a!.conversations.insertConversation(conversation('c1'));
    await a!.conversations.setTimer('c1', 'expiry', AT, 0);
    await a!.sync.scheduleInvitation({ project: 'p', recordId: '1', instrument: 'daily', event: '', repeatInstance: 0, mode: 'sms', sendAt: AT, createdAt: AT });
    await a!.sync.queueTrigger({ redcapProjectId: '17', record: '1', instrument: 'daily', event: null }, AT);
    const claimedByA = [await a!.conversations.dueTimers(AT), await a!.sync.dueInvitations('p', AT, 10), await a!.sync.dueTriggers(AT)];
    expect(claimedByA.map((rows) => rows.length)).toEqual([1, 1, 1]);
    const whileLeased = [await b!.conversations.dueTimers(AT), await b!.sync.dueInvitations('p', AT, 10), await b!.sync.dueTriggers(AT)];
    expect(whileLeased).toEqual([[], [], []]);
    await leasesRunOut(a!);
    const takenOver = [await b!.conversations.dueTimers(AT), await b!.sync.dueInvitations('p', AT, 10), await b!.sync.dueTriggers(AT)];
    expect(takenOver.map((rows) => rows.map((row) => row.id))).toEqual(claimedByA.map((rows) => rows.map((row) => row.id)));
  });

  it('when instances claim one text at once, then exactly one may send it', async () => {
    const [a, b] = await instances(2);
    const id = await a!.conversations.enqueue({ conversationId: null, project: 'p', channel: 'sms', kind: 'question', phone: PHONE,
      payload: { body: 'hi' }, status: 'pending', nextAttemptAt: AT, createdAt: AT });
    const claims = await Promise.all([a, b, a, b, a, b].map((instance) => instance!.delivery.claim(id)));
    expect(claims.map((claim) => claim.kind).sort()).toEqual(['gone', 'gone', 'gone', 'gone', 'gone', 'send']);
  });

  it('when an instance dies between claiming a text and sending it, then the text is hidden until its lease runs out, then sent by another', async () => {
    const [a, b] = await instances(2);
    const id = await a!.conversations.enqueue({ conversationId: null, project: 'p', channel: 'sms', kind: 'question', phone: PHONE,
      payload: { body: 'hi' }, status: 'pending', nextAttemptAt: AT, createdAt: AT });
    expect((await a!.delivery.claim(id)).kind).toBe('send');
    expect([await b!.delivery.dueTexts('p', AT, 10), await b!.delivery.claim(id)]).toEqual([[], { kind: 'gone' }]);
    await leasesRunOut(a!);
    expect((await b!.delivery.dueTexts('p', AT, 10)).map((text) => text.id)).toEqual([id]);
    expect((await b!.delivery.claim(id)).kind).toBe('send');
  });

  it('when the claim lease is set to one second (POSTGRES_CLAIM_LEASE_SECONDS), then a dead claimer\'s text and timer are taken over after it, not before', async () => {
    const [a, b] = await instances(2, 1);
    await a!.conversations.saveSurvey(survey, AT);
    await a!.conversations.insertConversation(conversation('c1'));
    await a!.conversations.setTimer('c1', 'expiry', AT, 0);
    const id = await a!.conversations.enqueue({ conversationId: null, project: 'p', channel: 'sms', kind: 'question', phone: PHONE,
      payload: { body: 'hi' }, status: 'pending', nextAttemptAt: AT, createdAt: AT });
    expect([(await a!.delivery.claim(id)).kind, (await a!.conversations.dueTimers(AT)).length]).toEqual(['send', 1]);

    expect([(await b!.delivery.claim(id)).kind, await b!.conversations.dueTimers(AT)]).toEqual(['gone', []]);
    await sleep(1_100);
    expect([(await b!.delivery.claim(id)).kind, (await b!.conversations.dueTimers(AT)).length]).toEqual(['send', 1]);
  });

  it("when two instances append to one conversation's transcript at once, then the chain keeps every entry, in order", async () => {
    const [a, b] = await instances(2);
    await a!.conversations.saveSurvey(survey, AT);
    await a!.conversations.insertConversation(conversation('c1'));
    const bodies = Array.from({ length: 40 }, (_, n) => `entry ${n}`);
    await Promise.all(bodies.map((body, n) => (n % 2 === 0 ? a : b)!.conversations.appendTranscript({
      conversationId: 'c1', project: 'p', direction: 'in', kind: 'text', body, at: AT,
    })));
    const { rows } = await a!.pool.query<{ body: string }>('SELECT body FROM transcript ORDER BY id');
    expect((await b!.conversations.transcript('c1')).map((entry) => entry.body)).toEqual(rows.map((row) => row.body));
    expect(rows.map((row) => row.body).sort()).toEqual([...bodies].sort());
  });

  it('when a retried webhook reaches another instance, then it is not received twice', async () => {
    const [a, b] = await instances(2);
    const inbound = { provider: 'twilio', providerMessageId: 'SM9', project: 'p', phone: PHONE, receivedAt: AT };
    const received = await Promise.all([a, b, a, b].map((instance) => instance!.conversations.transaction((tx) => tx.insertInbound(inbound))));
    expect(received.filter(Boolean)).toEqual([true]);
  });
});
