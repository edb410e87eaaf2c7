
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
  /** The language the admin API chose (an MLM language id); absent lets the record's language field decide when it is sent. */
  language?: string | null;
}

export interface InvitationRow extends NewInvitation {
  id: number;
  language: string | null;
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

/**
 * Called on the store, each method is a transaction of its own; inside a unit of work the same
 * methods are on `tx.sync` (conversation-store.ts), so REDCap's rows commit with the conversation's.
 */
export interface RedcapSyncStore {
  /** One project's pending REDCap rows, oldest first, at most `limit`, claimed or not (a read: nothing is claimed). */
  pendingRedcapRows(project: string, limit: number): Promise<PendingRedcapRow[]>;
  /**
   * Claims one project's REDCap rows for this writer for `leaseMs` (decision 0063): of its `limit` oldest
   * pending rows, those due at `now` and not claimed by another writer, except that no row is claimed after a
   * row of the same record (of the same phone, for opt-out changes) that is claimed by another writer or waits
   * for a retry, so one record's writes land in the order they were queued. Claims of one project are made one
   * at a time. Marking a row sent, failed or retried ends its claim; so does `releaseRedcapRows`. A writer that
   * dies leaves claims that run out, and another takes the rows over (an import of the same values again).
   */
  claimRedcapRows(project: string, now: string, limit: number, leaseMs: number): Promise<PendingRedcapRow[]>;
  /** Ends the claims of rows this writer did not finish: pending as they were, for any writer. */
  releaseRedcapRows(ids: readonly number[]): Promise<void>;
  /** Pending REDCap rows of projects this deployment does not configure (any more): nowhere to send them. */
  pendingOutside(projects: readonly string[]): Promise<{ id: number; project: string }[]>;
  markSent(ids: readonly number[]): Promise<void>;
  scheduleRetry(ids: readonly number[], nextAttemptAt: string, error: string): Promise<void>;
  markFailed(ids: readonly number[], error: string): Promise<void>;
  setTarget(conversationId: string, target: ConversationTarget): Promise<void>;
  addProjectSurvey(project: string, surveyVersion: string, source: 'pull' | 'load', at: string): Promise<void>;
  /** The newest survey version loaded for a project: new conversations use it. */
  activeSurvey(project: string): Promise<ProjectSurveyRow | undefined>;
  /** False when this record already has an invitation to the instrument (a DET fires on every save). */
  scheduleInvitation(invitation: NewInvitation): Promise<boolean>;
  /** One project's invitations whose time has come, oldest first. */
  dueInvitations(project: string, now: string, limit: number): Promise<InvitationRow[]>;
  /** Due invitations of projects other than `projects`. */
  dueInvitationsOutside(projects: readonly string[], now: string): Promise<InvitationRow[]>;
  invitations(project: string): Promise<InvitationRow[]>;
  /**
   * Finishes a pending invitation; false, changing nothing, when it is no longer pending: another instance,
   * which took it over when this one's claim ran out, finished it first (at most one conversation per invitation).
   */
  finishInvitation(id: number, status: 'sent' | 'skipped' | 'failed', conversationId: string | null, error: string | null): Promise<boolean>;
  retryInvitation(id: number, sendAt: string, error: string): Promise<void>;
  /** Moves invitations that were not tried to a later time; their attempts stay as they were. */
  postponeInvitations(ids: readonly number[], sendAt: string, error: string): Promise<void>;
  queueTrigger(trigger: Omit<QueuedTrigger, 'id' | 'attempts'>, at: string): Promise<void>;
  dueTriggers(now: string, limit?: number): Promise<QueuedTrigger[]>;
  finishTrigger(id: number, status: 'done' | 'failed', error: string | null): Promise<void>;
  retryTrigger(id: number, nextAttemptAt: string, error: string): Promise<void>;
}
