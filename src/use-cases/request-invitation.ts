/**
 * `POST /api/invitations`: a study team invites one REDCap record to one instrument, now or at `sendAt`.
 * Every check that can fail is made before anything is stored: the project, the instrument (against the
 * project's active survey version), the record (re-read from REDCap), the phone, the time and the opt-out
 * list. An invitation for now starts the conversation in one transaction (the overlap policy applies as for
 * REDCap's own invitations: FIRST and CHOICE hold it, OVERWRITE replaces); a later one is scheduled and the
 * REDCap invitation loop sends it when due, re-reading the record then.
 */
import type { InvitationOutcome, InvitationRequest, Invitations } from '../ports/engine.js';
import type { RedcapClient } from '../ports/redcap/index.js';
import type { RedcapSyncStore } from '../ports/storage/redcap-sync-store.js';
import type { ProjectConfig, ProjectRegistry } from '../config/projects.js';
import type { Survey } from '../dictionary/model.js';
import { languageOption } from '../languages/index.js';
import type { ConversationDeps } from './conversation-deps.js';
import { isComplete, type RecordRows } from '../policies/invitation-rules.js';
import { failureReason } from './redcap-failure.js';
import { enqueueSurveyLink, inviteInto, participantPhone } from './scheduled-invitations.js';
import { placeInvitation } from './invitation-place.js';

export interface InvitationsDeps {
  readonly conversations: ConversationDeps;
  readonly sync: RedcapSyncStore;
  readonly projects: ProjectRegistry;
  readonly client: (project: string) => RedcapClient;
  readonly survey: (project: string) => Promise<Survey>;
}

/** A `sendAt` this close to now is "now": the caller's clock and ours never agree to the millisecond. */
export const SEND_AT_GRACE_MS = 60_000;

type Failure = Exclude<InvitationOutcome, { kind: 'created' }>;

/** What the checks established, ready to invite. */
interface Checked {
  readonly project: ProjectConfig;
  readonly survey: Survey;
  readonly record: RecordRows;
  readonly phone: string;
  readonly sendAt: Date | undefined;
}

export function createInvitations(deps: InvitationsDeps): Invitations {
  return {
    async create(request) {
      try {
        const checked = await check(deps, request);
        if ('kind' in checked) return checked;
        return checked.sendAt === undefined ? await sendNow(deps, request, checked) : await schedule(deps, request, checked, checked.sendAt);
      } catch (error) {
        // REDCap down or refusing: nothing was stored, the caller may simply retry.
        return { kind: 'unavailable', message: `REDCap could not be asked about the record: ${failureReason(error)}` };
      }
    },
  };
}

async function check(deps: InvitationsDeps, request: InvitationRequest): Promise<Checked | Failure> {
  const project = pickProject(deps.projects, request.project);
  if (project === undefined) return { kind: 'unknown-project', message: unknownProject(deps.projects, request.project) };
  const sendAt = parseSendAt(request.sendAt, deps.conversations.clock.now());
  if (sendAt === 'past') return { kind: 'bad-send-at', message: 'sendAt is in the past' };
  const language = languageProblem(project, request);
  if (language !== null) return { kind: 'unknown-language', message: language };
  const survey = await deps.survey(project.id);
  if (!survey.instruments.some((i) => i.name === request.instrument)) {
    const known = survey.instruments.map((i) => i.name).join(', ');
    return { kind: 'unknown-instrument', message: `unknown instrument ${request.instrument}; the project's active survey has: ${known}` };
  }
  const record: RecordRows = { recordId: request.record, rows: await deps.client(project.id).exportRecords({ records: [request.record] }) };
  if (record.rows.length === 0) return { kind: 'missing-record', message: `record ${request.record} does not exist in REDCap` };
  const event = request.event ?? null;
  const stored = participantPhone(project, record, event);
  const phone = request.phone ?? stored;
  if (phone === undefined) return { kind: 'no-phone', message: `record ${request.record} has no usable phone number in ${project.phoneField}; send one as phone` };
  // A scheduled invitation re-reads the record's phone when it is due, so it cannot carry another number.
  if (sendAt !== undefined && request.phone !== undefined && request.phone !== stored) {
    return { kind: 'no-phone', message: `a scheduled invitation texts the record's ${project.phoneField}; leave phone out or send it now` };
  }
  if (await deps.conversations.store.isOptedOut(project.id, phone)) return { kind: 'refused', message: 'the number has opted out; it can be invited again after it texts START' };
  if (isComplete(record, survey, request.instrument, event)) return { kind: 'refused', message: `record ${request.record} has already completed ${request.instrument}` };
  return { project, survey, record, phone, sendAt };
}

/** A chosen language must be one of the project's; a scheduled invitation keeps it until it is sent. */
function languageProblem(project: ProjectConfig, request: InvitationRequest): string | null {
  if (request.language === undefined || languageOption(project.languages, request.language) !== undefined) return null;
  const ids = project.languages.options.map((option) => option.id);
  return ids.length === 0 ? `project ${project.id} has no languages configured` : `unknown language ${request.language}; project ${project.id} has ${ids.join(', ')}`;
}

/** The named project, or the only one when the service runs one. */
function pickProject(projects: ProjectRegistry, id: string | undefined): ProjectConfig | undefined {
  if (id !== undefined) return projects.byId(id);
  return projects.projects.length === 1 ? projects.projects[0] : undefined;
}

function unknownProject(projects: ProjectRegistry, id: string | undefined): string {
  const ids = projects.projects.map((p) => p.id).join(', ');
  return id === undefined ? `project is required: this service runs ${ids}` : `unknown project ${id}; this service runs ${ids}`;
}

/** Undefined: send now. The schema has already checked the format. */
function parseSendAt(sendAt: string | undefined, now: Date): Date | 'past' | undefined {
  if (sendAt === undefined) return undefined;
  const at = new Date(sendAt);
  if (at.getTime() < now.getTime() - SEND_AT_GRACE_MS) return 'past';
  return at.getTime() <= now.getTime() ? undefined : at;
}

async function sendNow(deps: InvitationsDeps, request: InvitationRequest, checked: Checked): Promise<InvitationOutcome> {
  const { project, survey, record, phone } = checked;
  const event = request.event ?? null;
  const client = deps.client(project.id);
  const now = deps.conversations.clock.now().toISOString();
  if (request.mode === 'link') {
    const link = await client.exportSurveyLink({ record: request.record, instrument: request.instrument, ...(event === null ? {} : { event }) });
    await sendLink(deps.conversations, project.id, phone, link, request.language);
    return created(request, { project: project.id, status: 'sent', conversationId: null, scheduledFor: now, invitationId: null });
  }
  const placed = await placeInvitation(client, record, request.instrument, event, deps.conversations.clock.now());
  const started = await inviteInto(deps.conversations, {
    project: project.id, survey, instrument: request.instrument, recordId: request.record, phone, record: placed.record,
    ...(placed.place === undefined ? {} : { place: placed.place }),
    ...(request.language === undefined ? {} : { language: request.language }),
  }, placed.target);
  return created(request, { project: project.id, status: started.status, conversationId: started.conversationId, scheduledFor: now, invitationId: null });
}

function sendLink(conversations: ConversationDeps, project: string, phone: string, link: string, language?: string): Promise<void> {
  const now = conversations.clock.now();
  return conversations.store.transaction((tx) => enqueueSurveyLink({ deps: conversations, tx, now }, project, phone, link, language));
}

async function schedule(deps: InvitationsDeps, request: InvitationRequest, checked: Checked, sendAt: Date): Promise<InvitationOutcome> {
  const invitation = {
    project: checked.project.id, recordId: request.record, instrument: request.instrument, event: request.event ?? '',
    repeatInstance: 0, mode: request.mode, sendAt: sendAt.toISOString(), createdAt: deps.conversations.clock.now().toISOString(),
    language: request.language ?? null,
  };
  if (!(await deps.sync.scheduleInvitation(invitation))) {
    return { kind: 'refused', message: `record ${request.record} already has an invitation to ${request.instrument} (scheduled or sent)` };
  }
  const stored = (await deps.sync.invitations(invitation.project))
    .find((row) => row.recordId === invitation.recordId && row.instrument === invitation.instrument && row.event === invitation.event && row.repeatInstance === 0);
  return created(request, { project: invitation.project, status: 'scheduled', conversationId: null, scheduledFor: invitation.sendAt, invitationId: stored?.id ?? null });
}

interface Progress {
  project: string;
  status: string;
  conversationId: string | null;
  scheduledFor: string;
  invitationId: number | null;
}

/** The 201 body; never the phone number, like every other admin answer. */
function created(request: InvitationRequest, progress: Progress): InvitationOutcome {
  return {
    kind: 'created',
    invitation: { record: request.record, instrument: request.instrument, event: request.event ?? null, mode: request.mode, ...progress },
  };
}
