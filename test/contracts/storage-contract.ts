/**
 * The storage contract: what every storage adapter must do for the engine, written against the ports only
 * (src/ports/storage). Each adapter runs it through `describeStorageContract` with a factory for empty storage;
 * SQLite's run is sqlite-storage.test.ts. A second backend is done when it passes this suite unchanged.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RevisionConflict, type ConversationStore } from '../../src/ports/storage/conversation-store.js';
import type { DeliveryStore } from '../../src/ports/storage/delivery-store.js';
import type { EraseStore } from '../../src/ports/storage/erase-store.js';
import type { NewInvitation, RedcapSyncStore } from '../../src/ports/storage/redcap-sync-store.js';
import type { ConversationRow, NewOutboxRow } from '../../src/ports/storage/rows.js';
import { demoSurvey } from '../conversation/demo-survey.js';

export interface StorageUnderTest {
  conversations: ConversationStore;
  delivery: DeliveryStore;
  sync: RedcapSyncStore;
  erase: EraseStore;
  close(): void;
}

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

export function describeStorageContract(adapter: string, open: () => StorageUnderTest): void {
  let storage: StorageUnderTest;
  const fresh = (): StorageUnderTest => (storage = open());
  afterEach(() => storage?.close());

  describe(`the storage contract: ${adapter}, conversations`, () => {
    it.each([
      ['twilio', 'SM1', false],
      ['twilio', 'SM2', true],
      ['mosio', 'SM1', true],
    ] as const)('when twilio SM1 was received and %s %s arrives, then it is new: %s', (provider, id, isNew) => {
      const { conversations } = fresh();
      conversations.insertInbound({ provider: 'twilio', providerMessageId: 'SM1', project: 'p', phone: PHONE, receivedAt: AT });
      expect(conversations.insertInbound({ provider, providerMessageId: id, project: 'p', phone: PHONE, receivedAt: AT })).toBe(isNew);
    });

    it('when a survey version is saved twice, then it loads as saved and the second save changes nothing', () => {
      const { conversations } = fresh();
      conversations.saveSurvey(survey, AT);
      conversations.saveSurvey(survey, LATER);
      expect(conversations.loadSurvey(survey.id)).toEqual(survey);
    });

    it('when an unknown survey version is loaded, then it fails and names the version', () => {
      const { conversations } = fresh();
      expect(() => conversations.loadSurvey('nope')).toThrow(/nope/);
    });

    it('when a conversation is stored, then it reads back field for field, its snapshot included', () => {
      const { conversations } = fresh();
      conversations.saveSurvey(survey, AT);
      conversations.insertConversation(conversation('c1'));
      expect(conversations.conversation('c1')).toEqual(conversation('c1'));
      expect(conversations.conversation('c2')).toBeUndefined();
    });

    it("when a phone has conversations in several states and projects, then its open ones in this project come back oldest first", () => {
      const { conversations } = fresh();
      conversations.saveSurvey(survey, AT);
      conversations.insertConversation(conversation('late', { createdAt: LATER }));
      conversations.insertConversation(conversation('early'));
      conversations.insertConversation(conversation('closed', { open: false, status: 'completed' }));
      conversations.insertConversation(conversation('other-phone', { phone: OTHER_PHONE }));
      conversations.insertConversation(conversation('other-project', { project: 'q' }));
      expect(conversations.openConversations('p', PHONE).map((row) => row.id)).toEqual(['early', 'late']);
      expect(conversations.conversations('p').map((row) => row.id)).toEqual(['early', 'closed', 'other-phone', 'late']);
    });

    it('when a conversation is saved at its revision, then the revision moves on; saved at an old one, then it is refused and unchanged', () => {
      const { conversations } = fresh();
      conversations.saveSurvey(survey, AT);
      conversations.insertConversation(conversation('c1'));
      conversations.updateConversation(conversation('c1', { status: 'expired', open: false }), 0);
      expect(() => conversations.updateConversation(conversation('c1', { status: 'completed' }), 0)).toThrow(RevisionConflict);
      expect(conversations.conversation('c1')).toMatchObject({ status: 'expired', open: false, revision: 1 });
    });

    it('when a unit of work throws, then nothing it wrote is stored', () => {
      const { conversations } = fresh();
      conversations.saveSurvey(survey, AT);
      expect(() => conversations.transaction(() => {
        conversations.insertConversation(conversation('c1'));
        conversations.enqueue(text({ conversationId: 'c1' }));
        conversations.optOut('p', PHONE, AT, 'keyword');
        throw new Error('step failed');
      })).toThrow('step failed');
      expect([conversations.conversation('c1'), conversations.dueOutbox(LATER), conversations.isOptedOut('p', PHONE)]).toEqual([undefined, [], false]);
    });

    it('when a nested unit fails and the outer one carries on, then only the nested writes are undone', () => {
      const { conversations } = fresh();
      conversations.transaction(() => {
        conversations.enqueue(text({ payload: { body: 'kept' } }));
        try {
          conversations.transaction(() => {
            conversations.enqueue(text({ payload: { body: 'undone' } }));
            throw new Error('nested');
          });
        } catch {
          // the outer unit goes on
        }
      });
      expect(conversations.dueOutbox(LATER).map((row) => row.payload)).toEqual([{ body: 'kept' }]);
    });

    it('when texts are queued, then only the due pending ones come back, in the order they were meant to go', () => {
      const { conversations } = fresh();
      const later = conversations.enqueue(text({ nextAttemptAt: LATER }));
      const first = conversations.enqueue(text());
      conversations.enqueue(text({ status: 'suppressed' }));
      expect(conversations.dueOutbox(AT).map((row) => row.id)).toEqual([first]);
      expect(conversations.dueOutbox(LATER).map((row) => row.id)).toEqual([first, later]);
      expect(conversations.nextOutboxDue()).toBe(AT);
    });

    it('when a phone opts out, then its pending texts are suppressed except the opt-out confirmation, and other phones keep theirs', () => {
      const { conversations } = fresh();
      conversations.enqueue(text());
      conversations.enqueue(text({ kind: 'opted-out' }));
      const other = conversations.enqueue(text({ phone: OTHER_PHONE }));
      expect(conversations.suppressPendingTexts('p', PHONE)).toBe(1);
      expect(conversations.dueOutbox(AT).map((row) => [row.kind, row.phone])).toEqual([['opted-out', PHONE], ['question', OTHER_PHONE]]);
      expect(conversations.dueOutbox(AT).at(-1)?.id).toBe(other);
    });

    it('when timers are set, fired and cancelled, then only pending due ones come back', () => {
      const { conversations } = fresh();
      conversations.saveSurvey(survey, AT);
      conversations.insertConversation(conversation('c1'));
      conversations.setTimer('c1', 'reminder', AT, 0);
      conversations.setTimer('c1', 'expiry', LATER, 0);
      const [reminder] = conversations.dueTimers(AT);
      expect(reminder).toMatchObject({ conversationId: 'c1', kind: 'reminder', dueAt: AT, revision: 0, status: 'pending' });
      conversations.markTimerFired(reminder!.id);
      expect(conversations.pendingTimers('c1').map((timer) => timer.kind)).toEqual(['expiry']);
      expect(conversations.nextTimerDue()).toBe(LATER);
      conversations.cancelTimers('c1');
      expect([conversations.dueTimers(LATER), conversations.nextTimerDue()]).toEqual([[], undefined]);
    });

    it('when a phone opts out twice and back in, then it is opted out only in between and per project', () => {
      const { conversations } = fresh();
      conversations.optOut('p', PHONE, AT, 'keyword');
      conversations.optOut('p', PHONE, LATER, 'provider');
      expect([conversations.isOptedOut('p', PHONE), conversations.isOptedOut('q', PHONE)]).toEqual([true, false]);
      conversations.optIn('p', PHONE);
      expect(conversations.isOptedOut('p', PHONE)).toBe(false);
    });

    it('when phone-level notes were queued, then the last one of a kind is found by phone and kind', () => {
      const { conversations } = fresh();
      conversations.saveSurvey(survey, AT);
      conversations.insertConversation(conversation('c9'));
      conversations.enqueue(text({ kind: 'closed', createdAt: AT }));
      conversations.enqueue(text({ kind: 'closed', createdAt: LATER }));
      conversations.enqueue(text({ kind: 'help', createdAt: LATER }));
      conversations.enqueue(text({ kind: 'closed', createdAt: LATER, conversationId: 'c9' }));
      expect(conversations.lastPhoneTextAt('p', PHONE, 'closed')).toBe(LATER);
      expect(conversations.lastPhoneTextAt('p', OTHER_PHONE, 'closed')).toBeUndefined();
    });

    it("when a unit appends to a conversation's transcript and saves it, then the transcript reads in order, inside and after the unit", () => {
      const { conversations } = fresh();
      conversations.saveSurvey(survey, AT);
      conversations.insertConversation(conversation('c1'));
      conversations.transaction(() => {
        conversations.appendTranscript({ conversationId: 'c1', project: 'p', direction: 'in', kind: 'text', body: '2', at: AT });
        conversations.appendTranscript({ conversationId: 'c1', project: 'p', direction: 'out', kind: 'question', body: 'Q2', at: AT });
        conversations.updateConversation(conversation('c1', { status: 'asking' }), 0);
        conversations.appendTranscript({ conversationId: 'c1', project: 'p', direction: 'event', kind: 'write', body: 'mood', at: AT });
        expect(conversations.transcript('c1').map((entry) => entry.body)).toEqual(['2', 'Q2', 'mood']);
      });
      conversations.appendTranscript({ conversationId: null, project: 'p', direction: 'in', kind: 'text', body: 'x', at: AT });
      expect(conversations.transcript('c1').map((entry) => [entry.direction, entry.body])).toEqual([['in', '2'], ['out', 'Q2'], ['event', 'mood']]);
    });
  });

  describe(`the storage contract: ${adapter}, delivery`, () => {
    it("when a phone has two pending texts, then only its oldest is due, so questions arrive in order", () => {
      const { conversations, delivery } = fresh();
      const first = conversations.enqueue(text());
      conversations.enqueue(text());
      const other = conversations.enqueue(text({ phone: OTHER_PHONE }));
      expect(delivery.dueTexts('p', AT, 10).map((due) => due.id)).toEqual([first, other]);
      expect(delivery.dueTexts('q', AT, 10)).toEqual([]);
    });

    it('when a text is claimed after its phone opted out, then it is suppressed and never handed out', () => {
      const { conversations, delivery } = fresh();
      const id = conversations.enqueue(text());
      conversations.optOut('p', PHONE, AT, 'keyword');
      expect(delivery.claim(id)).toEqual({ kind: 'suppressed' });
      expect([delivery.claim(id), delivery.dueTexts('p', LATER, 10)]).toEqual([{ kind: 'gone' }, []]);
    });

    it('when a sent text gets status callbacks out of order, then a final status is never overwritten', () => {
      const { conversations, delivery } = fresh();
      const id = conversations.enqueue(text());
      expect(delivery.claim(id)).toMatchObject({ kind: 'send', text: { id, phone: PHONE, payload: { body: 'hi' } } });
      delivery.markSent(id, 'SM100', 'queued', AT);
      expect(delivery.recordStatus('SM100', 'delivered', null, AT)).toEqual({ id, conversationId: null, project: 'p', phone: PHONE });
      delivery.recordStatus('SM100', 'sent', null, LATER);
      expect(delivery.recordStatus('SMunknown', 'failed', 30003, AT)).toBeUndefined();
      expect(delivery.claim(id)).toEqual({ kind: 'gone' });
    });

    it('when a send is retried and then fails for good, then it is due again only at its retry time and then never', () => {
      const { conversations, delivery } = fresh();
      const id = conversations.enqueue(text());
      delivery.scheduleRetry(id, LATER, 'HTTP 503');
      expect([delivery.dueTexts('p', AT, 10), delivery.dueTexts('p', LATER, 10).map((due) => due.attempts)]).toEqual([[], [1]]);
      delivery.markFailed(id, 'HTTP 400 (21211)', 21211);
      expect(delivery.dueTexts('p', LATER, 10)).toEqual([]);
    });

    it('when texts of a project no longer configured wait, then they are found by what is configured', () => {
      const { conversations, delivery } = fresh();
      const orphan = conversations.enqueue(text({ project: 'gone' }));
      conversations.enqueue(text());
      expect(delivery.textsOutside(['p']).map((due) => due.id)).toEqual([orphan]);
    });

    it('when a delivered text of an ended conversation is old enough, then it may be erased once', () => {
      const { conversations, delivery, erase } = fresh();
      const id = conversations.enqueue(text());
      delivery.markSent(id, 'SM7', 'sent', AT);
      delivery.recordStatus('SM7', 'delivered', null, AT);
      expect(erase.erasableTexts(['p'], LATER)).toEqual([{ id, sid: 'SM7' }]);
      expect(erase.erasableTexts(['q'], LATER)).toEqual([]);
      erase.markErased(id, LATER);
      expect(erase.erasableTexts(['p'], LATER)).toEqual([]);
    });
  });

  describe(`the storage contract: ${adapter}, REDCap sync`, () => {
    it('when a phone opts out and back in, then REDCap is queued an opt-out and then an opt-in, once each', () => {
      const { conversations, sync } = fresh();
      conversations.optOut('p', PHONE, AT, 'keyword');
      conversations.optOut('p', PHONE, LATER, 'keyword');
      conversations.optIn('p', PHONE);
      conversations.optIn('p', PHONE);
      const rows = sync.pendingRedcapRows('p', 10);
      expect(rows.map((row) => [row.kind, row.phone])).toEqual([['opt-out', PHONE], ['opt-in', PHONE]]);
      expect(rows[0]!.payload).toEqual({ at: AT });
    });

    it("when answers wait for REDCap, then each project's are read alone, oldest first, up to the limit, and leave as they are marked", () => {
      const { conversations, sync } = fresh();
      conversations.saveSurvey(survey, AT);
      conversations.insertConversation(conversation('c1'));
      const write = (n: number, project = 'p') => conversations.enqueue(text({
        channel: 'redcap', kind: 'write', phone: null, conversationId: project === 'p' ? 'c1' : null, project, payload: { n },
      }));
      const [a, b, c] = [write(1), write(2), write(3)];
      write(4, 'q');
      expect(sync.pendingRedcapRows('p', 2).map((row) => row.id)).toEqual([a, b]);
      expect(sync.pendingRedcapRows('p', 2)[0]).toMatchObject({ conversationId: 'c1', surveyVersion: survey.id, attempts: 0 });
      sync.markSent([a]);
      sync.scheduleRetry([b], LATER, 'HTTP 503');
      sync.markFailed([c], 'bad value');
      expect(sync.pendingRedcapRows('p', 10).map((row) => [row.id, row.attempts, row.nextAttemptAt])).toEqual([[b, 1, LATER]]);
      expect(sync.pendingOutside(['p']).map((row) => row.project)).toEqual(['q']);
    });

    it('when a conversation has a target in REDCap, then its writes carry it', () => {
      const { conversations, sync } = fresh();
      conversations.saveSurvey(survey, AT);
      conversations.insertConversation(conversation('c1'));
      sync.setTarget('c1', { event: 'week_1_arm_1', repeatInstrument: 'daily', repeatInstance: 3 });
      conversations.enqueue(text({ channel: 'redcap', kind: 'write', phone: null, conversationId: 'c1' }));
      expect(sync.pendingRedcapRows('p', 10)[0]?.target).toEqual({ event: 'week_1_arm_1', repeatInstrument: 'daily', repeatInstance: 3 });
    });

    it('when survey versions are loaded for a project, then the newest is active', () => {
      const { conversations, sync } = fresh();
      const newer = { ...survey, id: `${survey.id}-newer` };
      conversations.saveSurvey(survey, AT);
      conversations.saveSurvey(newer, LATER);
      expect(sync.activeSurvey('p')).toBeUndefined();
      sync.addProjectSurvey('p', survey.id, 'pull', AT);
      sync.addProjectSurvey('p', newer.id, 'load', LATER);
      expect(sync.activeSurvey('p')).toEqual({ surveyVersion: newer.id, source: 'load', loadedAt: LATER });
    });

    it('when the same invitation is scheduled twice, then it is kept once, comes due at its time and leaves when finished', () => {
      const { sync } = fresh();
      expect([sync.scheduleInvitation(invitation()), sync.scheduleInvitation(invitation())]).toEqual([true, false]);
      sync.scheduleInvitation(invitation({ recordId: '2', sendAt: LATER }));
      const [due] = sync.dueInvitations('p', AT, 10);
      expect(due).toMatchObject({ recordId: '1', status: 'pending', attempts: 0 });
      sync.finishInvitation(due!.id, 'sent', null, null);
      expect(sync.dueInvitations('p', LATER, 10).map((row) => row.recordId)).toEqual(['2']);
      expect(sync.invitations('p').map((row) => row.status)).toEqual(['sent', 'pending']);
    });

    it('when invitations are postponed or retried, then only a retry counts an attempt', () => {
      const { sync } = fresh();
      sync.scheduleInvitation(invitation());
      sync.scheduleInvitation(invitation({ recordId: '2' }));
      const [one, two] = sync.dueInvitations('p', AT, 10);
      sync.postponeInvitations([one!.id], LATER, 'REDCap down');
      sync.retryInvitation(two!.id, LATER, 'REDCap down');
      expect(sync.dueInvitations('p', LATER, 10).map((row) => [row.recordId, row.attempts, row.lastError])).toEqual([
        ['1', 0, 'REDCap down'], ['2', 1, 'REDCap down'],
      ]);
      expect(sync.dueInvitationsOutside(['q'], LATER).length).toBe(2);
    });

    it('when a Data Entry Trigger is kept, then it comes due, retries later, and leaves when done', () => {
      const { sync } = fresh();
      sync.queueTrigger({ redcapProjectId: '17', record: '1', instrument: 'daily', event: null }, AT);
      const [kept] = sync.dueTriggers(AT);
      expect(kept).toMatchObject({ redcapProjectId: '17', record: '1', instrument: 'daily', event: null, attempts: 0 });
      sync.retryTrigger(kept!.id, LATER, 'HTTP 503');
      expect(sync.dueTriggers(AT)).toEqual([]);
      sync.finishTrigger(kept!.id, 'done', null);
      expect(sync.dueTriggers(LATER)).toEqual([]);
    });
  });
}
