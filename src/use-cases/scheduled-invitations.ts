/**
 * Invitations from REDCap: a Data Entry Trigger (or our own completion landing in REDCap) re-reads the
 * record, schedules what the rules and the survey queue call for, and the invitation loop sends them
 * when due — as an SMS conversation, a "reply to begin" offer, or one text with the survey link.
 */
import type { Logger } from '../ports/logger.js';
import type { RedcapClient } from '../ports/redcap/index.js';
import type { ConversationStore, UnitOfWork } from '../ports/storage/conversation-store.js';
import type { ConversationTarget, InvitationRow, NewInvitation, RedcapSyncStore } from '../ports/storage/redcap-sync-store.js';
import type { ProjectConfig } from '../config/projects.js';
import type { Survey } from '../dictionary/model.js';
import { message } from '../messages/catalog.js';
import type { ConversationDeps } from './conversation-deps.js';
import { backoffMs } from '../policies/backoff.js';
import { baseRow, hasFollowUp, isComplete, queueInvitation, ruleInvitations, type RecordRows } from '../policies/invitation-rules.js';
import { invite, type InviteInput, type InviteResult } from './start-conversation.js';
import { placeInvitation } from './invitation-place.js';
import { passDiaryGate } from './diary-occurrences.js';
import { diaryInvitations } from '../policies/diary-plan.js';
import { callingCodeOf, toE164 } from '../policies/phone-match.js';
import { ProjectNotConfigured } from './project-not-configured.js';
import { failureReason, isPermanentFailure } from './redcap-failure.js';
import { enqueueText, type StepScope } from './step-conversation.js';
import { languageCatalog, NO_LANGUAGES } from '../languages/index.js';
import type { CompletedInstrument } from '../ports/engine.js';
import { WRITE_BACK_RETRY } from '../policies/backoff.js';
import type { DataEntryTrigger, DetOutcome } from '../ports/engine.js';

export interface RedcapInvitationDeps {
  conversations: ConversationDeps;
  sync: RedcapSyncStore;
  projects: readonly ProjectConfig[];
  redcap: (project: string) => RedcapClient;
  /** The project's active survey (pulled from REDCap when it has none). */
  survey: (project: string) => Promise<Survey>;
  logger: Logger;
}

/** The webhook's entry: handle the DET now, or keep it when REDCap is down or slow. */
export async function receiveDataEntryTrigger(deps: RedcapInvitationDeps, det: DataEntryTrigger): Promise<DetOutcome> {
  try {
    return await handleDataEntryTrigger(deps, det);
  } catch (error) {
    if (isPermanentFailure(error)) throw error;
    const { projectId: redcapProjectId, record, instrument, event } = det;
    await deps.sync.queueTrigger({ redcapProjectId, record, instrument, event }, deps.conversations.clock.now().toISOString());
    deps.logger.warn({ redcapProjectId, reason: failureReason(error) }, 'DET kept for later: REDCap could not be read');
    return { kind: 'queued' };
  }
}

/** Kept DETs, retried with backoff until REDCap answers; one for a project we do not serve is dropped. */
export async function retryQueuedTriggers(deps: RedcapInvitationDeps): Promise<void> {
  const now = deps.conversations.clock.now();
  for (const queued of await deps.sync.dueTriggers(now.toISOString())) {
    const det = { projectId: queued.redcapProjectId, record: queued.record, instrument: queued.instrument, event: queued.event };
    try {
      const outcome = await handleDataEntryTrigger(deps, det);
      await deps.sync.finishTrigger(queued.id, 'done', outcome.kind === 'unknown-project' ? 'no configured project has this id' : null);
    } catch (error) {
      if (isPermanentFailure(error)) {
        await deps.sync.finishTrigger(queued.id, 'failed', failureReason(error));
        continue;
      }
      const retryAt = now.getTime() + backoffMs(queued.attempts + 1, WRITE_BACK_RETRY);
      await deps.sync.retryTrigger(queued.id, new Date(retryAt).toISOString(), failureReason(error));
    }
  }
}

export async function handleDataEntryTrigger(deps: RedcapInvitationDeps, det: DataEntryTrigger): Promise<DetOutcome> {
  const project = await projectByRedcapId(deps, det.projectId);
  if (project === undefined) return { kind: 'unknown-project' };
  const survey = await deps.survey(project.id);
  const record = await readRecord(deps.redcap(project.id), det.record);
  if (record.rows.length === 0) return { kind: 'accepted', project: project.id, scheduled: 0 };
  const now = deps.conversations.clock.now();
  const wanted = [...ruleInvitations(project, survey, record, det.event, now), ...diaryInvitations(project, survey, record, now)];
  if (isComplete(record, survey, det.instrument, det.event)) {
    const next = queueInvitation(project, survey, record, det.instrument, det.event, now);
    if (next !== undefined) wanted.push(next);
  }
  return { kind: 'accepted', project: project.id, scheduled: await schedule(deps, wanted) };
}

/** Our own SMS completion reached REDCap (DETs do not fire on API imports): the survey queue moves on. */
export async function continueSurveyQueue(deps: RedcapInvitationDeps, completed: CompletedInstrument): Promise<number> {
  const project = deps.projects.find((p) => p.id === completed.project);
  if (project === undefined || !hasFollowUp(project)) return 0;
  const survey = await deps.survey(project.id);
  const record = await readRecord(deps.redcap(project.id), completed.recordId);
  const next = queueInvitation(project, survey, record, completed.instrument, completed.event, deps.conversations.clock.now());
  return next === undefined ? 0 : schedule(deps, [next]);
}

/** Plans the invitations in one unit of work; one already planned (the same row's key) counts nothing. */
export function schedule(deps: RedcapInvitationDeps, invitations: readonly NewInvitation[]): Promise<number> {
  return deps.conversations.store.transaction(async (tx) => {
    let scheduled = 0;
    for (const invitation of invitations) if (await tx.sync.scheduleInvitation(invitation)) scheduled += 1;
    return scheduled;
  });
}

/** At most this many of one project's invitations go in one round of the invitation loop. */
export const INVITATIONS_PER_PROJECT = 100;

/**
 * Sends every invitation whose time has come; REDCap being down only delays them. Each project's are read
 * on their own, so one project's large cohort or outage holds back no other project's invitations.
 */
export async function sendDueInvitations(deps: RedcapInvitationDeps): Promise<number> {
  let handled = await skipInvitationsOfOtherProjects(deps);
  for (const project of deps.projects) handled += await sendDueOf(deps, project);
  return handled;
}

/**
 * One project's due invitations, oldest first. Once its REDCap cannot be read, the rest wait with the
 * failed one instead of each waiting out its own failed request (up to the client's timeout and retries).
 */
async function sendDueOf(deps: RedcapInvitationDeps, project: ProjectConfig): Promise<number> {
  const due = await deps.sync.dueInvitations(project.id, deps.conversations.clock.now().toISOString(), INVITATIONS_PER_PROJECT);
  for (const [index, invitation] of due.entries()) {
    const delayed = await sendOne(deps, project, invitation);
    if (delayed === undefined) continue;
    const rest = due.slice(index + 1).map((later) => later.id);
    if (rest.length > 0) {
      await deps.sync.postponeInvitations(rest, delayed.retryAt, delayed.reason);
      deps.logger.warn({ project: project.id, invitations: rest.length, retryAt: delayed.retryAt }, 'invitations wait for REDCap with the one that could not be sent');
    }
    break;
  }
  return due.length;
}

/** Invitations of a project the configuration no longer has: nothing says how to send them. */
async function skipInvitationsOfOtherProjects(deps: RedcapInvitationDeps): Promise<number> {
  const configured = deps.projects.map((project) => project.id);
  const orphans = await deps.sync.dueInvitationsOutside(configured, deps.conversations.clock.now().toISOString());
  for (const invitation of orphans) {
    await deps.sync.finishInvitation(invitation.id, 'skipped', null, new ProjectNotConfigured(invitation.project).message);
  }
  return orphans.length;
}

/** Sends one invitation; when REDCap could not be read, says until when it waits. */
async function sendOne(deps: RedcapInvitationDeps, project: ProjectConfig, invitation: InvitationRow): Promise<{ retryAt: string; reason: string } | undefined> {
  try {
    const outcome = await deliver(deps, project, invitation);
    // A sent invitation was finished in the transaction that queued its texts.
    if (outcome.status === 'skipped') await deps.sync.finishInvitation(invitation.id, outcome.status, outcome.conversationId, outcome.reason);
    deps.logger.info({ project: project.id, invitationId: invitation.id, status: outcome.status, reason: outcome.reason }, 'invitation from REDCap');
    return undefined;
  } catch (error) {
    const reason = failureReason(error);
    if (isPermanentFailure(error)) {
      await deps.sync.finishInvitation(invitation.id, 'failed', null, reason);
      deps.logger.error({ project: project.id, invitationId: invitation.id, reason }, 'invitation failed');
      return undefined;
    }
    const retryAt = new Date(deps.conversations.clock.now().getTime() + backoffMs(invitation.attempts + 1, WRITE_BACK_RETRY)).toISOString();
    await deps.sync.retryInvitation(invitation.id, retryAt, reason);
    deps.logger.warn({ project: project.id, invitationId: invitation.id, reason }, 'invitation delayed; will retry');
    return { retryAt, reason };
  }
}

interface Delivered {
  /** `elsewhere`: another instance took the invitation over (this one's claim ran out) and sent it first. */
  status: 'sent' | 'skipped' | 'elsewhere';
  conversationId: string | null;
  reason: string | null;
}

const skipped = (reason: string): Delivered => ({ status: 'skipped', conversationId: null, reason });
const SENT_ELSEWHERE: Delivered = { status: 'elsewhere', conversationId: null, reason: 'sent by another instance' };

/** Thrown inside the unit that would send an invitation another instance has finished: the unit rolls back. */
class SentElsewhere extends Error {}

/**
 * Runs the unit that queues an invitation's texts and finishes it, together. If another instance finished the
 * invitation first (its claim on a slow batch ran out and was taken over), the unit is rolled back whole:
 * one conversation, one set of texts per invitation, whichever instance commits first.
 */
async function finishing<T>(store: ConversationStore, invitation: InvitationRow, work: (tx: UnitOfWork) => Promise<T>, conversationId: (result: T) => string | null): Promise<T | undefined> {
  try {
    return await store.transaction(async (tx) => {
      const result = await work(tx);
      if (!(await tx.sync.finishInvitation(invitation.id, 'sent', conversationId(result), null))) throw new SentElsewhere();
      return result;
    });
  } catch (error) {
    if (error instanceof SentElsewhere) return undefined;
    throw error;
  }
}

/** Re-reads the record at send time: the phone, the opt-out and completion may have changed since. */
async function deliver(deps: RedcapInvitationDeps, project: ProjectConfig, invitation: InvitationRow): Promise<Delivered> {
  const client = deps.redcap(project.id);
  const record = await readRecord(client, invitation.recordId);
  const event = invitation.event === '' ? null : invitation.event;
  const survey = await deps.survey(project.id);
  if (record.rows.length === 0) return skipped('the record does not exist');
  const gate = await passDiaryGate(deps.sync, deps.conversations, project, survey, record, invitation);
  if (gate.skip !== undefined) return skipped(gate.skip);
  if (isComplete(record, survey, invitation.instrument, event)) return skipped('already completed');
  const phone = participantPhone(project, record, event);
  if (phone === undefined) return skipped('no usable phone number in the record');
  const { store } = deps.conversations;
  if (await store.isOptedOut(project.id, phone)) return skipped('the number has opted out');
  if (invitation.mode === 'link') return sendLink(deps, client, project, invitation, phone);
  const placed = await placeInvitation(client, record, invitation.instrument, event, deps.conversations.clock.now());
  const conversations = invitation.mode === 'offer' ? replyToBegin(gate.conversations) : gate.conversations;
  // The invitation is marked sent in the conversation's own transaction: a crash between the two would
  // otherwise leave it pending, and the next round would invite the participant a second time.
  const started = await finishing(store, invitation, (tx) => inviteInto(conversations, {
    project: project.id, survey, instrument: invitation.instrument, recordId: invitation.recordId, phone, record: placed.record,
    ...(placed.place === undefined ? {} : { place: placed.place }),
    ...(invitation.language === null ? {} : { language: invitation.language }),
  }, placed.target, tx), (result) => result.conversationId);
  return started === undefined ? SENT_ELSEWHERE : { status: 'sent', conversationId: started.conversationId, reason: null };
}

/** `invite`, remembering in the same transaction which event and repeating instance the answers go to. */
export function inviteInto(deps: ConversationDeps, input: InviteInput, target: ConversationTarget, on: ConversationStore = deps.store): Promise<InviteResult> {
  return on.transaction(async (tx) => {
    const result = await invite(deps, input, tx);
    if (target.event !== null || target.repeatInstance !== null) await tx.sync.setTarget(result.conversationId, target);
    return result;
  });
}

async function sendLink(
  deps: RedcapInvitationDeps, client: RedcapClient, project: ProjectConfig, invitation: InvitationRow, phone: string,
): Promise<Delivered> {
  const link = await client.exportSurveyLink({
    record: invitation.recordId, instrument: invitation.instrument, ...(invitation.event === '' ? {} : { event: invitation.event }),
  });
  const now = deps.conversations.clock.now();
  const sent = await finishing(deps.conversations.store, invitation, async (tx) => {
    await enqueueSurveyLink({ deps: deps.conversations, tx, now }, project.id, phone, link, invitation.language ?? undefined);
    return true;
  }, () => null);
  return sent === undefined ? SENT_ELSEWHERE : { status: 'sent', conversationId: null, reason: null };
}

/** The text with a survey's link, in the language the invitation chose (the project's default otherwise). */
export function enqueueSurveyLink(scope: StepScope, project: string, phone: string, link: string, language: string | undefined): Promise<void> {
  const setup = scope.deps.project(project);
  const catalog = languageCatalog(setup.catalog, setup.languages ?? NO_LANGUAGES, language);
  return enqueueText(scope, null, { type: 'send', to: phone, parts: [message(catalog, 'conversation.surveyLink', { link })], kind: 'invitation' }, project);
}

/** The queue's "offer": the invitation waits for any reply before the first question (REDCap's survey_900). */
function replyToBegin(deps: ConversationDeps): ConversationDeps {
  return {
    ...deps,
    project: (id) => {
      const setup = deps.project(id);
      return { ...setup, settings: { ...setup.settings, invitation: 'reply-to-begin' } };
    },
  };
}

/** The phone field on the invitation's event, else on the first event that has one (REDCap's own rule). */
export function participantPhone(project: ProjectConfig, record: RecordRows, event: string | null): string | undefined {
  const rows = [baseRow(record, event), ...record.rows.filter((row) => !row.redcap_repeat_instrument)];
  const stored = rows.map((row) => row[project.phoneField] ?? '').find((value) => value.trim() !== '');
  const home = project.sender.from ?? project.sender.numbers[0];
  return stored === undefined ? undefined : toE164(stored, home === undefined ? undefined : callingCodeOf(home));
}

async function readRecord(client: RedcapClient, recordId: string): Promise<RecordRows> {
  return { recordId, rows: await client.exportRecords({ records: [recordId] }) };
}

/** The configured project a DET's `project_id` names; REDCap is asked once per project for its id. */
async function projectByRedcapId(deps: RedcapInvitationDeps, projectId: string): Promise<ProjectConfig | undefined> {
  if (!/^\d+$/.test(projectId)) return undefined;
  for (const project of deps.projects) {
    if ((await redcapProjectId(deps, project)) === projectId) return project;
  }
  return undefined;
}

const knownIds = new WeakMap<ProjectConfig, string>();

async function redcapProjectId(deps: RedcapInvitationDeps, project: ProjectConfig): Promise<string> {
  const known = knownIds.get(project);
  if (known !== undefined) return known;
  const id = String((await deps.redcap(project.id).exportProjectInfo()).project_id);
  knownIds.set(project, id);
  return id;
}
