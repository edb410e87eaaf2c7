/**
 * The storage contract: what every storage adapter must do for the engine, written against the ports only
 * (src/ports/storage). Each adapter runs it through `describeStorageContract` with a factory for empty,
 * migrated storage (and its cleanup, `close`); SQLite's run is sqlite-storage.test.ts. A second backend is
 * done when it passes this suite unchanged.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AdminQueries, DashboardQueries } from '../../src/ports/storage/admin-reads.js';
import {
  RevisionConflict, UNIT_OF_WORK_ATTEMPTS, type ConversationStore,
} from '../../src/ports/storage/conversation-store.js';
import type { DeliveryStore } from '../../src/ports/storage/delivery-store.js';
import type { EraseStore } from '../../src/ports/storage/erase-store.js';
import type { InboundHistory } from '../../src/ports/storage/inbound-history.js';
import type { NewInvitation, RedcapSyncStore } from '../../src/ports/storage/redcap-sync-store.js';
import type { ConversationRow, NewOutboxRow } from '../../src/ports/storage/rows.js';
import type { SimulatorPhones } from '../../src/ports/storage/simulator-phones.js';
import type { SenderPace, SenderRate } from '../../src/ports/storage/sender-pace.js';
import { demoSurvey } from '../conversation/demo-survey.js';

/** One backend's stores over one empty, migrated database. */
export interface StorageUnderTest {
  conversations: ConversationStore;
  delivery: DeliveryStore;
  /** The senders' rates (decision 0059). */
  pace: SenderPace;
  sync: RedcapSyncStore;
  erase: EraseStore;
  /** The HTTP side's reads (admin API, dashboard). */
  admin: AdminQueries;
  dashboard: DashboardQueries;
  /** What the SMS providers keep: Mosio's repeat check reads, the simulator's handsets. */
  inboundHistory: InboundHistory;
  simulatorPhones: SimulatorPhones;
  /** Called after each test: closes connections, drops what the test stored. */
  close(): Promise<void>;
}

/** Opens fresh storage for one test. */
export type OpenStorage = () => Promise<StorageUnderTest>;

const AT = '2026-03-02T15:00:00.000Z';
const LATER = '2026-03-02T16:00:00.000Z';
const PHONE = '+15551230001';
const OTHER_PHONE = '+15551230002';
const survey = demoSurvey();

function conversation(id: string, overrides: Partial<ConversationRow> = {}): ConversationRow {
  return {
    id, project: 'p', phone: PHONE, recordId: '1', instrument: 'daily', surveyVersion: survey.id, status: 'asking',
    open: true, active: true, snapshot: { value: 'asking', context: { n: 1 } }, snapshotFormat: 1, machineVersion: 1,
    revision: 0, createdAt: AT, updatedAt: AT, ...overrides,
  };
}

function text(overrides: Partial<NewOutboxRow> = {}): NewOutboxRow {
  return {
    conversationId: null, project: 'p', channel: 'sms', kind: 'question', phone: PHONE, payload: { body: 'hi' },
    status: 'pending', nextAttemptAt: AT, createdAt: AT, ...overrides,
  };
}

function invitation(overrides: Partial<NewInvitation> = {}): NewInvitation {
  return {
    project: 'p', recordId: '1', instrument: 'daily', event: '', repeatInstance: 0, mode: 'sms', sendAt: AT, createdAt: AT,
    ...overrides,
  };
}

export function describeStorageContract(adapter: string, open: OpenStorage): void {
  let storage: StorageUnderTest | undefined;
  const fresh = async (): Promise<StorageUnderTest> => (storage = await open());
  afterEach(async () => {
    await storage?.close();
    storage = undefined;
  });

  describe(`the storage contract: ${adapter}, conversations`, () => {
    it.each([
      ['twilio', 'SM1', false],
      ['twilio', 'SM2', true],
      ['mosio', 'SM1', true],
    ] as const)('when twilio SM1 was received and %s %s arrives, then it is new: %s', async (provider, id, isNew) => {
      const { conversations } = await fresh();
      await conversations.insertInbound({ provider: 'twilio', providerMessageId: 'SM1', project: 'p', phone: PHONE, receivedAt: AT });
      expect(await conversations.insertInbound({ provider, providerMessageId: id, project: 'p', phone: PHONE, receivedAt: AT })).toBe(isNew);
    });

    it('when a survey version is saved twice, then it loads as saved and the second save changes nothing', async () => {
      const { conversations } = await fresh();
      await conversations.saveSurvey(survey, AT);
      await conversations.saveSurvey(survey, LATER);
      expect(await conversations.loadSurvey(survey.id)).toEqual(survey);
    });

    it('when an unknown survey version is loaded, then it fails and names the version', async () => {
      const { conversations } = await fresh();
      await expect(conversations.loadSurvey('nope')).rejects.toThrow(/nope/);
    });

    it('when a conversation is stored, then it reads back field for field, its snapshot included', async () => {
      const { conversations } = await fresh();
      await conversations.saveSurvey(survey, AT);
      await conversations.insertConversation(conversation('c1'));
      expect(await conversations.conversation('c1')).toEqual(conversation('c1'));
      expect(await conversations.conversation('c2')).toBeUndefined();
    });

    it("when a phone has conversations in several states and projects, then its open ones in this project come back oldest first", async () => {
      const { conversations } = await fresh();
      await conversations.saveSurvey(survey, AT);
      await conversations.insertConversation(conversation('late', { createdAt: LATER }));
      await conversations.insertConversation(conversation('early'));
      await conversations.insertConversation(conversation('closed', { open: false, status: 'completed' }));
      await conversations.insertConversation(conversation('other-phone', { phone: OTHER_PHONE }));
      await conversations.insertConversation(conversation('other-project', { project: 'q' }));
      expect((await conversations.openConversations('p', PHONE)).map((row) => row.id)).toEqual(['early', 'late']);
      expect((await conversations.conversations('p')).map((row) => row.id)).toEqual(['early', 'closed', 'other-phone', 'late']);
    });

    it("when a phone has conversations open and closed, then its newest in this project comes back, whatever its state", async () => {
      const { conversations } = await fresh();
      await conversations.saveSurvey(survey, AT);
      expect(await conversations.latestConversation('p', PHONE)).toBeUndefined();
      await conversations.insertConversation(conversation('open-early'));
      await conversations.insertConversation(conversation('closed-late', { open: false, status: 'completed', createdAt: LATER }));
      await conversations.insertConversation(conversation('other-phone', { phone: OTHER_PHONE, createdAt: '2026-03-02T17:00:00.000Z' }));
      await conversations.insertConversation(conversation('other-project', { project: 'q', createdAt: '2026-03-02T17:00:00.000Z' }));
      expect(await conversations.latestConversation('p', PHONE)).toEqual(conversation('closed-late', { open: false, status: 'completed', createdAt: LATER }));
      await conversations.insertConversation(conversation('same-time', { createdAt: LATER }));
      expect((await conversations.latestConversation('p', PHONE))?.id).toBe('same-time');
    });

    it('when a conversation is saved at its revision, then the revision moves on; saved at an old one, then it is refused and unchanged', async () => {
      const { conversations } = await fresh();
      await conversations.saveSurvey(survey, AT);
      await conversations.insertConversation(conversation('c1'));
      await conversations.updateConversation(conversation('c1', { status: 'expired', open: false }), 0);
      await expect(conversations.updateConversation(conversation('c1', { status: 'completed' }), 0)).rejects.toThrow(RevisionConflict);
      expect(await conversations.conversation('c1')).toMatchObject({ status: 'expired', open: false, revision: 1 });
    });

    const answering = (answered: string[], record: Record<string, string>) => ({
      status: 'active', value: 'asking', historyValue: {}, children: {},
      context: { phone: PHONE, record, current: 'q9', answered, pending: null, timerRevision: answered.length },
    });
    const stored = (row: ConversationRow | undefined) => JSON.stringify(row?.snapshot);

    it.each([
      {
        case: 'an answer (its values and one more field answered)',
        after: answering(['q1', 'q2', 'q3'], { record_id: '1', q1: 'a', q2: 'b', q3: 'c', daily_complete: '0' }),
        changes: { record: { q3: 'c', daily_complete: '0' }, answered: 2 },
      },
      {
        case: 'BACK (the list shorter, the record as it was)',
        after: answering(['q1'], { record_id: '1', q1: 'a', q2: 'b' }),
        changes: { record: {}, answered: 1 },
      },
      {
        case: 'a changed answer and a value already there',
        after: answering(['q1', 'q2'], { record_id: '1', q1: 'changed', q2: 'b' }),
        changes: { record: { q1: 'changed', record_id: '1' }, answered: null },
      },
      {
        case: 'a save that does not say what changed',
        after: answering(['q2'], { q2: 'b', record_id: '1' }),
        changes: undefined,
      },
    ])("when a conversation's answers are saved after $case, then its snapshot reads back as saved, in its order", async ({ after, changes }) => {
      const { conversations } = await fresh();
      await conversations.saveSurvey(survey, AT);
      await conversations.insertConversation(conversation('c1', { snapshot: answering(['q1', 'q2'], { record_id: '1', q1: 'a', q2: 'b' }) }));
      await conversations.transaction(async (tx) => {
        const row = await tx.conversation('c1');
        await tx.updateConversation(conversation('c1', { snapshot: after }), row!.revision, row, changes);
      });
      expect(stored(await conversations.conversation('c1'))).toBe(JSON.stringify(after));
      expect((await conversations.openConversations('p', PHONE)).map((row) => row.snapshot)).toEqual([after]);
      expect(stored(await conversations.latestConversation('p', PHONE))).toBe(JSON.stringify(after));
    });

    it('when a unit saves answers and then fails, then the answers read back as they were stored', async () => {
      const { conversations } = await fresh();
      await conversations.saveSurvey(survey, AT);
      const before = answering(['q1'], { q1: 'a' });
      await conversations.insertConversation(conversation('c1', { snapshot: before }));
      expect(stored(await conversations.conversation('c1'))).toBe(JSON.stringify(before));
      await expect(conversations.transaction(async (tx) => {
        await tx.updateConversation(conversation('c1', { snapshot: answering(['q1', 'q2'], { q1: 'a', q2: 'b' }) }), 0, undefined, { record: { q2: 'b' }, answered: 1 });
        throw new Error('the unit of work failed');
      })).rejects.toThrow('the unit of work failed');
      expect(await conversations.conversation('c1')).toMatchObject({ revision: 0, snapshot: before });
      expect(stored((await conversations.conversations('p'))[0])).toBe(JSON.stringify(before));
    });

    it('when a unit of work throws, then nothing it wrote is stored', async () => {
      const { conversations, sync } = await fresh();
      await conversations.saveSurvey(survey, AT);
      await expect(conversations.transaction(async (tx) => {
        await tx.insertConversation(conversation('c1'));
        await tx.enqueue(text({ conversationId: 'c1' }));
        await tx.optOut('p', PHONE, AT, 'keyword');
        await tx.sync.scheduleInvitation(invitation());
        throw new Error('step failed');
      })).rejects.toThrow('step failed');
      expect([await conversations.conversation('c1'), await conversations.dueOutbox(LATER), await conversations.isOptedOut('p', PHONE)]).toEqual([undefined, [], false]);
      expect(await sync.invitations('p')).toEqual([]);
    });

    it("when a unit reads through its handle, then it sees its own writes, the REDCap queue's included, and they commit together", async () => {
      const { conversations, sync } = await fresh();
      await conversations.saveSurvey(survey, AT);
      const seen = await conversations.transaction(async (tx) => {
        await tx.insertConversation(conversation('c1'));
        await tx.sync.setTarget('c1', { event: 'week_1_arm_1', repeatInstrument: null, repeatInstance: null });
        await tx.enqueue(text({ channel: 'redcap', kind: 'write', phone: null, conversationId: 'c1' }));
        return [(await tx.conversation('c1'))?.id, (await tx.sync.pendingRedcapRows('p', 10)).map((row) => row.target.event)];
      });
      expect(seen).toEqual(['c1', ['week_1_arm_1']]);
      expect((await sync.pendingRedcapRows('p', 10)).map((row) => row.conversationId)).toEqual(['c1']);
    });

    it('when a statement is made on the store while a unit is open, then it is not part of the unit and survives its rollback', async () => {
      const { conversations } = await fresh();
      let outside: Promise<number> | undefined;
      await expect(conversations.transaction(async (tx) => {
        await tx.enqueue(text({ payload: { body: 'undone' } }));
        outside = conversations.enqueue(text({ payload: { body: 'kept' } }));
        // Long enough for a backend to run the outside statement, if it would, before the unit ends.
        await new Promise((resolve) => setTimeout(resolve, 20));
        throw new Error('step failed');
      })).rejects.toThrow('step failed');
      await outside;
      expect((await conversations.dueOutbox(LATER)).map((row) => row.payload)).toEqual([{ body: 'kept' }]);
    });

    it('when two units save the same conversation at once, then both land, one after the other', async () => {
      const { conversations } = await fresh();
      await conversations.saveSurvey(survey, AT);
      await conversations.insertConversation(conversation('c1'));
      const save = (status: string) => conversations.transaction(async (tx) => {
        const row = await tx.conversation('c1');
        await tx.updateConversation({ ...row!, status }, row!.revision);
      });
      await Promise.all([save('asking'), save('completed')]);
      expect(await conversations.conversation('c1')).toMatchObject({ revision: 2 });
    });

    it('when a unit meets a RevisionConflict and then does not, then it is run again and commits once', async () => {
      const { conversations } = await fresh();
      await conversations.saveSurvey(survey, AT);
      await conversations.insertConversation(conversation('c1'));
      let runs = 0;
      const result = await conversations.transaction(async (tx) => {
        runs += 1;
        await tx.enqueue(text({ payload: { run: runs } }));
        // The first run saves at a revision another writer has moved past.
        await tx.updateConversation(conversation('c1', { status: `run ${runs}` }), runs === 1 ? 7 : 0);
        return runs;
      });
      expect(result).toBe(2);
      expect(await conversations.conversation('c1')).toMatchObject({ status: 'run 2', revision: 1 });
      expect((await conversations.dueOutbox(LATER)).map((row) => row.payload)).toEqual([{ run: 2 }]);
    });

    it('when a unit meets a RevisionConflict every time, then it runs a bounded number of times, stores nothing and fails with the conflict', async () => {
      const { conversations } = await fresh();
      await conversations.saveSurvey(survey, AT);
      await conversations.insertConversation(conversation('c1'));
      let runs = 0;
      await expect(conversations.transaction(async (tx) => {
        runs += 1;
        await tx.enqueue(text());
        await tx.updateConversation(conversation('c1'), 7);
      })).rejects.toThrow(RevisionConflict);
      expect([runs, await conversations.dueOutbox(LATER)]).toEqual([UNIT_OF_WORK_ATTEMPTS, []]);
    });

    it('when a unit fails with anything but a RevisionConflict, then it is not run again', async () => {
      const { conversations } = await fresh();
      let runs = 0;
      await expect(conversations.transaction(async () => {
        runs += 1;
        throw new Error('bad input');
      })).rejects.toThrow('bad input');
      expect(runs).toBe(1);
    });

    it('when a nested unit fails and the outer one carries on, then only the nested writes are undone', async () => {
      const { conversations, sync } = await fresh();
      await conversations.transaction(async (tx) => {
        await tx.enqueue(text({ payload: { body: 'kept' } }));
        try {
          await tx.transaction(async (nested) => {
            await nested.enqueue(text({ payload: { body: 'undone' } }));
            await nested.sync.scheduleInvitation(invitation());
            throw new Error('nested');
          });
        } catch {
          // the outer unit goes on
        }
      });
      expect(await sync.invitations('p')).toEqual([]);
      expect((await conversations.dueOutbox(LATER)).map((row) => row.payload)).toEqual([{ body: 'kept' }]);
    });

    it('when texts are queued, then only the due pending ones come back, in the order they were meant to go', async () => {
      const { conversations } = await fresh();
      const later = await conversations.enqueue(text({ nextAttemptAt: LATER }));
      const first = await conversations.enqueue(text());
      await conversations.enqueue(text({ status: 'suppressed' }));
      expect((await conversations.dueOutbox(AT)).map((row) => row.id)).toEqual([first]);
      expect((await conversations.dueOutbox(LATER)).map((row) => row.id)).toEqual([first, later]);
      expect(await conversations.nextOutboxDue()).toBe(AT);
    });

    it('when a phone opts out, then its pending texts are suppressed except the opt-out confirmation, and other phones keep theirs', async () => {
      const { conversations } = await fresh();
      await conversations.enqueue(text());
      await conversations.enqueue(text({ kind: 'opted-out' }));
      const other = await conversations.enqueue(text({ phone: OTHER_PHONE }));
      expect(await conversations.suppressPendingTexts('p', PHONE)).toBe(1);
      expect((await conversations.dueOutbox(AT)).map((row) => [row.kind, row.phone])).toEqual([['opted-out', PHONE], ['question', OTHER_PHONE]]);
      expect((await conversations.dueOutbox(AT)).at(-1)?.id).toBe(other);
    });

    it('when timers are set, fired and cancelled, then only pending due ones come back', async () => {
      const { conversations } = await fresh();
      await conversations.saveSurvey(survey, AT);
      await conversations.insertConversation(conversation('c1'));
      await conversations.setTimer('c1', 'reminder', AT, 0);
      await conversations.setTimer('c1', 'expiry', LATER, 0);
      const [reminder] = await conversations.dueTimers(AT);
      expect(reminder).toMatchObject({ conversationId: 'c1', kind: 'reminder', dueAt: AT, revision: 0, status: 'pending' });
      await conversations.markTimerFired(reminder!.id);
      expect((await conversations.pendingTimers('c1')).map((timer) => timer.kind)).toEqual(['expiry']);
      expect(await conversations.nextTimerDue()).toBe(LATER);
      await conversations.cancelTimers('c1');
      expect([await conversations.dueTimers(LATER), await conversations.nextTimerDue()]).toEqual([[], undefined]);
    });

    it('when a phone opts out twice and back in, then it is opted out only in between and per project', async () => {
      const { conversations } = await fresh();
      await conversations.optOut('p', PHONE, AT, 'keyword');
      await conversations.optOut('p', PHONE, LATER, 'provider');
      expect([await conversations.isOptedOut('p', PHONE), await conversations.isOptedOut('q', PHONE)]).toEqual([true, false]);
      await conversations.optIn('p', PHONE);
      expect(await conversations.isOptedOut('p', PHONE)).toBe(false);
    });

    it('when phone-level notes were queued, then the last one of a kind is found by phone and kind', async () => {
      const { conversations } = await fresh();
      await conversations.saveSurvey(survey, AT);
      await conversations.insertConversation(conversation('c9'));
      await conversations.enqueue(text({ kind: 'closed', createdAt: AT }));
      await conversations.enqueue(text({ kind: 'closed', createdAt: LATER }));
      await conversations.enqueue(text({ kind: 'help', createdAt: LATER }));
      await conversations.enqueue(text({ kind: 'closed', createdAt: LATER, conversationId: 'c9' }));
      expect(await conversations.lastPhoneTextAt('p', PHONE, 'closed')).toBe(LATER);
      expect(await conversations.lastPhoneTextAt('p', OTHER_PHONE, 'closed')).toBeUndefined();
    });

    it("when a unit appends to a conversation's transcript and saves it, then the transcript reads in order, inside and after the unit", async () => {
      const { conversations } = await fresh();
      await conversations.saveSurvey(survey, AT);
      await conversations.insertConversation(conversation('c1'));
      await conversations.transaction(async (tx) => {
        await tx.appendTranscript({ conversationId: 'c1', project: 'p', direction: 'in', kind: 'text', body: '2', at: AT });
        await tx.appendTranscript({ conversationId: 'c1', project: 'p', direction: 'out', kind: 'question', body: 'Q2', at: AT });
        await tx.updateConversation(conversation('c1', { status: 'asking' }), 0);
        await tx.appendTranscript({ conversationId: 'c1', project: 'p', direction: 'event', kind: 'write', body: 'mood', at: AT });
        expect((await tx.transcript('c1')).map((entry) => entry.body)).toEqual(['2', 'Q2', 'mood']);
      });
      await conversations.appendTranscript({ conversationId: null, project: 'p', direction: 'in', kind: 'text', body: 'x', at: AT });
      expect((await conversations.transcript('c1')).map((entry) => [entry.direction, entry.body])).toEqual([['in', '2'], ['out', 'Q2'], ['event', 'mood']]);
    });
  });

  describe(`the storage contract: ${adapter}, delivery`, () => {
    it("when a phone has two pending texts, then only its oldest is due, so questions arrive in order", async () => {
      const { conversations, delivery } = await fresh();
      const first = await conversations.enqueue(text());
      await conversations.enqueue(text());
      const other = await conversations.enqueue(text({ phone: OTHER_PHONE }));
      expect((await delivery.dueTexts('p', AT, 10)).map((due) => due.id)).toEqual([first, other]);
      expect(await delivery.dueTexts('q', AT, 10)).toEqual([]);
    });

    it('when a text is claimed after its phone opted out, then it is suppressed and never handed out', async () => {
      const { conversations, delivery } = await fresh();
      const id = await conversations.enqueue(text());
      await conversations.optOut('p', PHONE, AT, 'keyword');
      expect(await delivery.claim(id)).toEqual({ kind: 'suppressed' });
      expect([await delivery.claim(id), await delivery.dueTexts('p', LATER, 10)]).toEqual([{ kind: 'gone' }, []]);
    });

    it('when a claimed text is released unsent, then it is due again at once and can be claimed again', async () => {
      const { conversations, delivery } = await fresh();
      const id = await conversations.enqueue(text());
      expect(await delivery.claim(id)).toMatchObject({ kind: 'send' });
      await delivery.release(id);
      expect((await delivery.dueTexts('p', AT, 10)).map((due) => [due.id, due.attempts])).toEqual([[id, 0]]);
      expect(await delivery.claim(id)).toMatchObject({ kind: 'send', text: { id } });
    });

    it('when a sent text gets status callbacks out of order, then a final status is never overwritten', async () => {
      const { conversations, delivery } = await fresh();
      const id = await conversations.enqueue(text());
      expect(await delivery.claim(id)).toMatchObject({ kind: 'send', text: { id, phone: PHONE, payload: { body: 'hi' } } });
      await delivery.markSent(id, 'SM100', 'queued', AT);
      expect(await delivery.recordStatus('SM100', 'delivered', null, AT)).toEqual({ id, conversationId: null, project: 'p', phone: PHONE });
      await delivery.recordStatus('SM100', 'sent', null, LATER);
      expect(await delivery.recordStatus('SMunknown', 'failed', 30003, AT)).toBeUndefined();
      expect(await delivery.claim(id)).toEqual({ kind: 'gone' });
    });

    it('when a send is retried and then fails for good, then it is due again only at its retry time and then never', async () => {
      const { conversations, delivery } = await fresh();
      const id = await conversations.enqueue(text());
      await delivery.scheduleRetry(id, LATER, 'HTTP 503');
      expect([await delivery.dueTexts('p', AT, 10), (await delivery.dueTexts('p', LATER, 10)).map((due) => due.attempts)]).toEqual([[], [1]]);
      await delivery.markFailed(id, 'HTTP 400 (21211)', 21211);
      expect(await delivery.dueTexts('p', LATER, 10)).toEqual([]);
    });

    it('when texts of a project no longer configured wait, then they are found by what is configured', async () => {
      const { conversations, delivery } = await fresh();
      const orphan = await conversations.enqueue(text({ project: 'gone' }));
      await conversations.enqueue(text());
      expect((await delivery.textsOutside(['p'])).map((due) => due.id)).toEqual([orphan]);
    });

    it('when a delivered text of an ended conversation is old enough, then it may be erased once', async () => {
      const { conversations, delivery, erase } = await fresh();
      const id = await conversations.enqueue(text());
      await delivery.markSent(id, 'SM7', 'sent', AT);
      await delivery.recordStatus('SM7', 'delivered', null, AT);
      expect(await erase.erasableTexts(['p'], LATER)).toEqual([{ id, sid: 'SM7' }]);
      expect(await erase.erasableTexts(['q'], LATER)).toEqual([]);
      await erase.markErased(id, LATER);
      expect(await erase.erasableTexts(['p'], LATER)).toEqual([]);
    });
  });

  describe(`the storage contract: ${adapter}, sender pace`, () => {
    // A slot every 1,000 s: nothing refills while a case runs, on either backend's clock.
    const SLOW: SenderRate = { perSecond: 0.001, capacity: 3 };
    const now = () => new Date();

    it('when more slots are wanted than the sender has, then its capacity is granted and the next slot is a whole interval away', async () => {
      const { pace } = await fresh();
      const grant = await pace.reserve('+15550001000', SLOW, 5, now());
      expect(grant.granted).toBe(3);
      expect(grant.waitMs).toBeGreaterThan(999_000);
      expect(grant.waitMs).toBeLessThanOrEqual(1_000_000);
      expect(await pace.reserve('+15550001000', SLOW, 1, now())).toMatchObject({ granted: 0 });
    });

    it('when fewer slots are wanted than are free, then the rest stay free and there is no wait', async () => {
      const { pace } = await fresh();
      expect(await pace.reserve('MG1', SLOW, 1, now())).toMatchObject({ granted: 1, waitMs: 0 });
      expect(await pace.reserve('MG1', SLOW, 0, now())).toMatchObject({ granted: 0, waitMs: 0 });
      expect((await pace.reserve('MG1', SLOW, 5, now())).granted).toBe(2);
    });

    it('when unused slots are given back, then the next caller gets them, and never more than the capacity', async () => {
      const { pace } = await fresh();
      const first = await pace.reserve('MG1', SLOW, 3, now());
      await pace.giveBack('MG1', SLOW, 2, first.reservedAt, now());
      const second = await pace.reserve('MG1', SLOW, 5, now());
      expect(second.granted).toBe(2);
      await pace.giveBack('MG1', SLOW, 10, second.reservedAt, now());
      expect((await pace.reserve('MG1', SLOW, 5, now())).granted).toBe(3);
    });

    it('when slots come back after the bucket refilled meanwhile, then only what the refill has not made up returns', async () => {
      const { pace } = await fresh();
      // 4 a second, at most 4: A takes 2 and will not use them; 350 ms later B takes 3 (the bucket had refilled
      // to about 3.4); A gives its 2 back. Returned whole, the bucket would hold about 2.4; had A never taken them
      // it would hold about 1 (it was full, and refilled nothing, while A held them).
      const rate: SenderRate = { perSecond: 4, capacity: 4 };
      const a = await pace.reserve('MG1', rate, 2, now());
      await new Promise((resolve) => setTimeout(resolve, 350));
      expect((await pace.reserve('MG1', rate, 3, now())).granted).toBe(3);
      await pace.giveBack('MG1', rate, 2, a.reservedAt, now());
      expect((await pace.reserve('MG1', rate, 4, now())).granted).toBe(1);
    });

    it("when one sender's slots are used up, then another sender still has all of its own", async () => {
      const { pace } = await fresh();
      await pace.reserve('+15550001000', SLOW, 3, now());
      expect((await pace.reserve('+15550002000', SLOW, 3, now())).granted).toBe(3);
    });

    it('when many callers reserve at once, then together they are granted the capacity, not more', async () => {
      const { pace } = await fresh();
      const grants = await Promise.all(Array.from({ length: 8 }, () => pace.reserve('MG1', SLOW, 2, now())));
      expect(grants.reduce((sum, grant) => sum + grant.granted, 0)).toBe(3);
    });

    it('when the rate is fast, then a used-up slot comes free again after its interval', async () => {
      const { pace } = await fresh();
      const fast: SenderRate = { perSecond: 100, capacity: 1 };
      expect((await pace.reserve('MG1', fast, 1, now())).granted).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect((await pace.reserve('MG1', fast, 1, now())).granted).toBe(1);
    });
  });

  describe(`the storage contract: ${adapter}, REDCap sync`, () => {
    it('when a phone opts out and back in, then REDCap is queued an opt-out and then an opt-in, once each', async () => {
      const { conversations, sync } = await fresh();
      await conversations.optOut('p', PHONE, AT, 'keyword');
      await conversations.optOut('p', PHONE, LATER, 'keyword');
      await conversations.optIn('p', PHONE);
      await conversations.optIn('p', PHONE);
      const rows = await sync.pendingRedcapRows('p', 10);
      expect(rows.map((row) => [row.kind, row.phone])).toEqual([['opt-out', PHONE], ['opt-in', PHONE]]);
      expect(rows[0]!.payload).toEqual({ at: AT });
    });

    it("when answers wait for REDCap, then each project's are read alone, oldest first, up to the limit, and leave as they are marked", async () => {
      const { conversations, sync } = await fresh();
      await conversations.saveSurvey(survey, AT);
      await conversations.insertConversation(conversation('c1'));
      const write = (n: number, project = 'p') => conversations.enqueue(text({
        channel: 'redcap', kind: 'write', phone: null, conversationId: project === 'p' ? 'c1' : null, project, payload: { n },
      }));
      const [a, b, c] = [await write(1), await write(2), await write(3)];
      await write(4, 'q');
      expect((await sync.pendingRedcapRows('p', 2)).map((row) => row.id)).toEqual([a, b]);
      expect((await sync.pendingRedcapRows('p', 2))[0]).toMatchObject({ conversationId: 'c1', surveyVersion: survey.id, attempts: 0 });
      await sync.markSent([a]);
      await sync.scheduleRetry([b], LATER, 'HTTP 503');
      await sync.markFailed([c], 'bad value');
      expect((await sync.pendingRedcapRows('p', 10)).map((row) => [row.id, row.attempts, row.nextAttemptAt])).toEqual([[b, 1, LATER]]);
      expect((await sync.pendingOutside(['p'])).map((row) => row.project)).toEqual(['q']);
    });

    describe('claims of REDCap rows (decision 0063)', () => {
      const LEASE_MS = 60_000;
      const write = (conversations: ConversationStore, record: string, n: number) => conversations.enqueue(text({
        channel: 'redcap', kind: 'write', phone: null, payload: { record, instrument: 'daily', values: { n: String(n) } },
      }));
      const ids = (rows: readonly { id: number }[]) => rows.map((row) => row.id);

      it('when a writer has claimed rows, then another claim passes over them until they are marked or released', async () => {
        const { conversations, sync } = await fresh();
        const [a, b] = [await write(conversations, '1', 1), await write(conversations, '2', 1)];
        expect(ids(await sync.claimRedcapRows('p', AT, 10, LEASE_MS))).toEqual([a, b]);
        expect(await sync.claimRedcapRows('p', AT, 10, LEASE_MS)).toEqual([]);
        expect(ids(await sync.pendingRedcapRows('p', 10))).toEqual([a, b]);
        await sync.markSent([a]);
        await sync.releaseRedcapRows([b]);
        expect(ids(await sync.claimRedcapRows('p', AT, 10, LEASE_MS))).toEqual([b]);
        await sync.scheduleRetry([b], AT, 'HTTP 503');
        expect(ids(await sync.claimRedcapRows('p', AT, 10, LEASE_MS))).toEqual([b]);
      });

      it("when a writer's claim runs out (it died), then another writer takes the rows over", async () => {
        const { conversations, sync } = await fresh();
        const a = await write(conversations, '1', 1);
        expect(ids(await sync.claimRedcapRows('p', AT, 10, 50))).toEqual([a]);
        expect(await sync.claimRedcapRows('p', AT, 10, LEASE_MS)).toEqual([]);
        await new Promise((resolve) => setTimeout(resolve, 120));
        const later = new Date(Date.parse(AT) + 120).toISOString();
        expect(ids(await sync.claimRedcapRows('p', later, 10, LEASE_MS))).toEqual([a]);
      });

      it("when a record's earlier row is claimed elsewhere or waits for a retry, then its later rows wait too, and other records' do not", async () => {
        const { conversations, sync } = await fresh();
        const first = await write(conversations, '1', 1);
        const other = await write(conversations, '2', 1);
        const second = await write(conversations, '1', 2);
        expect(ids(await sync.claimRedcapRows('p', AT, 1, LEASE_MS))).toEqual([first]);
        expect(ids(await sync.claimRedcapRows('p', AT, 10, LEASE_MS))).toEqual([other]);
        await sync.scheduleRetry([first], LATER, 'HTTP 503');
        await sync.markSent([other]);
        expect(await sync.claimRedcapRows('p', AT, 10, LEASE_MS)).toEqual([]);
        expect(ids(await sync.claimRedcapRows('p', LATER, 10, LEASE_MS))).toEqual([first, second]);
      });

      it("when a phone's opt-out is claimed, then its opt-in waits for it", async () => {
        const { conversations, sync } = await fresh();
        await conversations.optOut('p', PHONE, AT, 'keyword');
        await conversations.optIn('p', PHONE);
        const [optOut] = await sync.claimRedcapRows('p', AT, 1, LEASE_MS);
        expect(optOut?.kind).toBe('opt-out');
        expect(await sync.claimRedcapRows('p', AT, 10, LEASE_MS)).toEqual([]);
        await sync.markSent([optOut!.id]);
        expect((await sync.claimRedcapRows('p', AT, 10, LEASE_MS)).map((row) => row.kind)).toEqual(['opt-in']);
      });

      it('when writers claim at once, then no row is claimed twice and each record stays with one writer', async () => {
        const { conversations, sync } = await fresh();
        for (let n = 0; n < 3; n += 1) for (const record of ['1', '2', '3']) await write(conversations, record, n);
        const claims = await Promise.all([1, 2, 3, 4].map((limit) => sync.claimRedcapRows('p', AT, limit * 2, LEASE_MS)));
        const claimedIds = claims.flatMap(ids);
        expect(new Set(claimedIds).size).toBe(claimedIds.length);
        const holders = new Map<string, Set<number>>();
        claims.forEach((claim, writer) => {
          for (const row of claim) {
            const record = (row.payload as { record: string }).record;
            holders.set(record, (holders.get(record) ?? new Set()).add(writer));
          }
        });
        expect([...holders.values()].every((writers) => writers.size === 1)).toBe(true);
      });
    });

    it('when a conversation has a target in REDCap, then its writes carry it', async () => {
      const { conversations, sync } = await fresh();
      await conversations.saveSurvey(survey, AT);
      await conversations.insertConversation(conversation('c1'));
      await sync.setTarget('c1', { event: 'week_1_arm_1', repeatInstrument: 'daily', repeatInstance: 3 });
      await conversations.enqueue(text({ channel: 'redcap', kind: 'write', phone: null, conversationId: 'c1' }));
      expect((await sync.pendingRedcapRows('p', 10))[0]?.target).toEqual({ event: 'week_1_arm_1', repeatInstrument: 'daily', repeatInstance: 3 });
    });

    it('when survey versions are loaded for a project, then the newest is active', async () => {
      const { conversations, sync } = await fresh();
      const newer = { ...survey, id: `${survey.id}-newer` };
      await conversations.saveSurvey(survey, AT);
      await conversations.saveSurvey(newer, LATER);
      expect(await sync.activeSurvey('p')).toBeUndefined();
      await sync.addProjectSurvey('p', survey.id, 'pull', AT);
      await sync.addProjectSurvey('p', newer.id, 'load', LATER);
      expect(await sync.activeSurvey('p')).toEqual({ surveyVersion: newer.id, source: 'load', loadedAt: LATER });
    });

    it('when the same invitation is scheduled twice, then it is kept once, comes due at its time and leaves when finished', async () => {
      const { sync } = await fresh();
      expect([await sync.scheduleInvitation(invitation()), await sync.scheduleInvitation(invitation())]).toEqual([true, false]);
      await sync.scheduleInvitation(invitation({ recordId: '2', sendAt: LATER }));
      const [due] = await sync.dueInvitations('p', AT, 10);
      expect(due).toMatchObject({ recordId: '1', status: 'pending', attempts: 0 });
      await sync.finishInvitation(due!.id, 'sent', null, null);
      expect((await sync.dueInvitations('p', LATER, 10)).map((row) => row.recordId)).toEqual(['2']);
      expect((await sync.invitations('p')).map((row) => row.status)).toEqual(['sent', 'pending']);
    });

    it('when an invitation is finished a second time (an instance whose claim ran out), then only the first finish counts', async () => {
      const { sync } = await fresh();
      await sync.scheduleInvitation(invitation());
      const [due] = await sync.dueInvitations('p', AT, 10);
      expect(await sync.finishInvitation(due!.id, 'sent', null, null)).toBe(true);
      expect(await sync.finishInvitation(due!.id, 'skipped', null, 'already completed')).toBe(false);
      expect(await sync.invitations('p')).toMatchObject([{ status: 'sent', attempts: 1, lastError: null }]);
    });

    it.each([
      ['with a language', { language: 'es' }, 'es'],
      ['without one', {}, null],
    ] as const)('when an invitation is scheduled %s, then it comes due with that language', async (_case, chosen, language) => {
      const { sync } = await fresh();
      await sync.scheduleInvitation(invitation(chosen));
      expect((await sync.dueInvitations('p', AT, 10))[0]?.language).toBe(language);
      expect((await sync.invitations('p'))[0]?.language).toBe(language);
    });

    it('when invitations are postponed or retried, then only a retry counts an attempt', async () => {
      const { sync } = await fresh();
      await sync.scheduleInvitation(invitation());
      await sync.scheduleInvitation(invitation({ recordId: '2' }));
      const [one, two] = await sync.dueInvitations('p', AT, 10);
      await sync.postponeInvitations([one!.id], LATER, 'REDCap down');
      await sync.retryInvitation(two!.id, LATER, 'REDCap down');
      expect((await sync.dueInvitations('p', LATER, 10)).map((row) => [row.recordId, row.attempts, row.lastError])).toEqual([
        ['1', 0, 'REDCap down'], ['2', 1, 'REDCap down'],
      ]);
      expect((await sync.dueInvitationsOutside(['q'], LATER)).length).toBe(2);
    });

    it('when a Data Entry Trigger is kept, then it comes due, retries later, and leaves when done', async () => {
      const { sync } = await fresh();
      await sync.queueTrigger({ redcapProjectId: '17', record: '1', instrument: 'daily', event: null }, AT);
      const [kept] = await sync.dueTriggers(AT);
      expect(kept).toMatchObject({ redcapProjectId: '17', record: '1', instrument: 'daily', event: null, attempts: 0 });
      await sync.retryTrigger(kept!.id, LATER, 'HTTP 503');
      expect(await sync.dueTriggers(AT)).toEqual([]);
      await sync.finishTrigger(kept!.id, 'done', null);
      expect(await sync.dueTriggers(LATER)).toEqual([]);
    });
  });

  describe(`the storage contract: ${adapter}, the HTTP side's reads`, () => {
    it('when conversations are stored, then the admin API reads them latest first, one by id, and its transcript', async () => {
      const { conversations, admin } = await fresh();
      await conversations.saveSurvey(survey, AT);
      await conversations.insertConversation(conversation('early'));
      await conversations.insertConversation(conversation('late', { createdAt: LATER, status: 'completed', open: false }));
      await conversations.appendTranscript({ conversationId: 'early', project: 'p', direction: 'in', kind: 'text', body: 'hi', at: AT });
      expect((await admin.conversations(10)).map((row) => [row.id, row.open])).toEqual([['late', false], ['early', true]]);
      expect(await admin.conversation('early')).toMatchObject({ id: 'early', recordId: '1', status: 'asking', open: true });
      expect(await admin.conversation('nope')).toBeUndefined();
      expect(await admin.transcript('early')).toEqual([{ direction: 'in', kind: 'text', body: 'hi', at: AT }]);
    });

    it('when a phone opted out and a REDCap write failed for good, then the admin API lists both', async () => {
      const { conversations, sync, admin } = await fresh();
      await conversations.saveSurvey(survey, AT);
      await conversations.insertConversation(conversation('c1'));
      await conversations.optOut('p', PHONE, AT, 'keyword');
      const write = await conversations.enqueue(text({ channel: 'redcap', kind: 'write', phone: null, conversationId: 'c1', createdAt: LATER }));
      await sync.markFailed([write], 'bad value');
      expect(await admin.optOuts()).toEqual([{ project: 'p', phone: PHONE, optedOutAt: AT, source: 'keyword' }]);
      expect(await admin.redcapWriteFailures('c1')).toEqual([{ outboxId: write, error: 'bad value', createdAt: LATER }]);
    });

    it('when conversations end in several ways, then the dashboard counts them by status and outcome', async () => {
      const { conversations, dashboard } = await fresh();
      await conversations.saveSurvey(survey, AT);
      await conversations.insertConversation(conversation('c1'));
      await conversations.insertConversation(conversation('c2', { status: 'completed', open: false, updatedAt: LATER }));
      await conversations.optOut('p', OTHER_PHONE, AT, 'keyword');
      const data = await dashboard.read();
      expect(data.statuses).toEqual([
        { project: 'p', instrument: 'daily', status: 'asking', count: 1 }, { project: 'p', instrument: 'daily', status: 'completed', count: 1 },
      ]);
      expect(data.funnel).toEqual([{ project: 'p', instrument: 'daily', invited: 2, started: 0, completed: 1 }]);
      expect([data.optOuts, data.pendingWrites]).toEqual([1, 1]);
      const trends = await dashboard.trends(new Date(LATER));
      expect(trends.days.at(-1)).toEqual({ day: '2026-03-02', invited: 2, started: 0, completed: 1 });
    });
  });

  describe(`the storage contract: ${adapter}, the providers' storage`, () => {
    const COPY = 'mosio:0123abcd:';
    const copyOf = (overrides: Partial<{ provider: string; id: string; project: string; at: string }> = {}) => ({
      provider: overrides.provider ?? 'mosio', providerMessageId: overrides.id ?? `${COPY}1772463600000-00000001`,
      project: overrides.project ?? 'p', phone: PHONE, receivedAt: overrides.at ?? AT,
    });
    const asked = { provider: 'mosio', idPrefix: COPY, project: 'p', phone: PHONE, since: '2026-03-02T14:58:00.000Z' };
    const sentTo = async (storage: StorageUnderTest, phone: string, at: string, status: 'sent' | 'pending' = 'sent') => {
      const id = await storage.conversations.enqueue(text({ phone }));
      if (status === 'sent') await storage.delivery.markSent(id, `SM-${phone}-${at}`, 'sent', at);
    };

    it.each([
      ['a copy came within the window and nothing was sent since', true, [copyOf()], []],
      ['nothing came', false, [], []],
      ['the copy came before the window', false, [copyOf({ at: '2026-03-02T14:57:59.999Z' })], []],
      ['the copy came in another project', false, [copyOf({ project: 'q' })], []],
      ['the copy came through another provider', false, [copyOf({ provider: 'twilio' })], []],
      ['a text with another fingerprint came', false, [copyOf({ id: 'mosio:0123abce:1772463600000-00000001' })], []],
      ['a text whose id only shares a shorter start came', false, [copyOf({ id: 'mosio:0123abcd;1772463600000-00000001' })], []],
      ['a text was sent to the phone after the copy', false, [copyOf()], [[PHONE, LATER, 'sent']]],
      ['a text was sent to the phone at the moment of the copy', false, [copyOf()], [[PHONE, AT, 'sent']]],
      ['a text was sent to another phone after the copy', true, [copyOf()], [[OTHER_PHONE, LATER, 'sent']]],
      ['a text to the phone is still pending', true, [copyOf()], [[PHONE, LATER, 'pending']]],
      ['a text was sent between two copies, before the latest', true, [copyOf(), copyOf({ id: `${COPY}1772467200000-00000002`, at: '2026-03-02T15:00:30.000Z' })],
        [[PHONE, '2026-03-02T15:00:10.000Z', 'sent']]],
    ] as const)('when %s, then an unanswered copy is found: %s', async (_case, found, copies, sent) => {
      const storage = await fresh();
      for (const copy of copies) await storage.conversations.insertInbound(copy);
      for (const [phone, at, status] of sent) await sentTo(storage, phone, at, status);
      expect(await storage.inboundHistory.unansweredCopy(asked)).toBe(found);
    });

    it('when texts land on two handsets, then each reads its own, oldest first, and after an id only the newer ones', async () => {
      const { simulatorPhones } = await fresh();
      await simulatorPhones.add(PHONE, { direction: 'out', body: 'How are you?', sid: 'SM1', at: AT });
      await simulatorPhones.add(OTHER_PHONE, { direction: 'out', body: 'other phone', sid: 'SM2', at: AT });
      await simulatorPhones.add(PHONE, { direction: 'in', body: 'Fine', sid: 'SM3', at: LATER });
      const messages = await simulatorPhones.messages(PHONE);
      expect(messages).toEqual([
        { id: expect.any(Number), direction: 'out', body: 'How are you?', sid: 'SM1', at: AT },
        { id: expect.any(Number), direction: 'in', body: 'Fine', sid: 'SM3', at: LATER },
      ]);
      expect(await simulatorPhones.messages(PHONE, messages[0]!.id)).toEqual([messages[1]]);
      expect(await simulatorPhones.messages(PHONE, messages[1]!.id)).toEqual([]);
      expect(await simulatorPhones.messages('+15551239999')).toEqual([]);
    });
  });
}
