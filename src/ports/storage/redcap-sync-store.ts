
/**
 * The REDCap side of storage: REDCap writes waiting in the outbox, where each conversation writes, which
 * survey version a project uses, invitations created from REDCap, and Data Entry Triggers kept for later.
 * The conversation store writes the outbox rows; the write-back moves them through sending.
 */

/** Where in the REDCap project a conversation's answers go. */
export interface ConversationTarget {
  event: string | null;
  repeatInstrument: string | null;
  repeatInstance: number | null;
}

/** A pending `channel = 'redcap'` outbox row with what the writer needs to address it. */
export interface PendingRedcapRow {
  id: number;
  project: string;
  kind: string;
  conversationId: string | null;
  phone: string | null;
  payload: unknown;
  attempts: number;
  nextAttemptAt: string;
  surveyVersion: string | null;
  target: ConversationTarget;
}

export interface ProjectSurveyRow {
  surveyVersion: string;
  source: 'pull' | 'load';
  loadedAt: string;
}

export type InvitationMode = 'sms' | 'link' | 'offer';

export interface NewInvitation {
  project: string;
  recordId: string;
  instrument: string;
  event: string;
  repeatInstance: number;
  mode: InvitationMode;
  sendAt: string;
  createdAt: string;
}

export interface InvitationRow extends NewInvitation {
  id: number;
  status: 'pending' | 'sent' | 'skipped' | 'failed';
  conversationId: string | null;
  lastError: string | null;
  attempts: number;
}

/** A Data Entry Trigger kept because REDCap could not be read when it came (migration 0006). */
export interface QueuedTrigger {
  id: number;
  redcapProjectId: string;
  record: string;
  instrument: string;
  event: string | null;
  attempts: number;
}

export interface RedcapSyncStore {
  /** Runs `work` as one write transaction (nested: part of the outer one); rolls back if it throws. */
  transaction<T>(work: () => T): T;
  /** One project's pending REDCap rows, oldest first, at most `limit`; the writer decides which groups are due. */
  pendingRedcapRows(project: string, limit: number): PendingRedcapRow[];
  /** Pending REDCap rows of projects this deployment does not configure (any more): nowhere to send them. */
  pendingOutside(projects: readonly string[]): { id: number; project: string }[];
  markSent(ids: readonly number[]): void;
  scheduleRetry(ids: readonly number[], nextAttemptAt: string, error: string): void;
  markFailed(ids: readonly number[], error: string): void;
  setTarget(conversationId: string, target: ConversationTarget): void;
  addProjectSurvey(project: string, surveyVersion: string, source: 'pull' | 'load', at: string): void;
  /** The newest survey version loaded for a project: new conversations use it. */
  activeSurvey(project: string): ProjectSurveyRow | undefined;
  /** False when this record already has an invitation to the instrument (a DET fires on every save). */
  scheduleInvitation(invitation: NewInvitation): boolean;
  /** One project's invitations whose time has come, oldest first. */
  dueInvitations(project: string, now: string, limit: number): InvitationRow[];
  /** Due invitations of projects other than `projects`. */
  dueInvitationsOutside(projects: readonly string[], now: string): InvitationRow[];
  invitations(project: string): InvitationRow[];
  finishInvitation(id: number, status: 'sent' | 'skipped' | 'failed', conversationId: string | null, error: string | null): void;
  retryInvitation(id: number, sendAt: string, error: string): void;
  /** Moves invitations that were not tried to a later time; their attempts stay as they were. */
  postponeInvitations(ids: readonly number[], sendAt: string, error: string): void;
  queueTrigger(trigger: Omit<QueuedTrigger, 'id' | 'attempts'>, at: string): void;
  dueTriggers(now: string, limit?: number): QueuedTrigger[];
  finishTrigger(id: number, status: 'done' | 'failed', error: string | null): void;
  retryTrigger(id: number, nextAttemptAt: string, error: string): void;
}
