import type { Survey } from '../../dictionary/model.js';
import type {
  ConversationRow, InboundRow, NewOutboxRow, OutboxRow, OutboxStatus, TimerKind, TimerRow, TranscriptRow,
} from './rows.js';

/** Another writer saved the conversation since it was loaded; the unit of work must not commit. */
export class RevisionConflict extends Error {
  constructor(readonly conversationId: string, readonly expected: number) {
    super(`conversation ${conversationId} is no longer at revision ${expected}`);
  }
}

/**
 * The conversation engine's storage: what one unit of work reads and writes. Methods are synchronous and
 * run inside `transaction()`, so a unit's reads see its own writes and its writes commit together or not
 * at all. The SQLite adapter implements it directly; see decision 0024.
 */
export interface ConversationStore {
  /** Runs `work` as one write transaction (nested: part of the outer one); rolls back if it throws. */
  transaction<T>(work: () => T): T;

  /** False when this provider message id was seen before (a retried webhook). */
  insertInbound(row: InboundRow): boolean;

  saveSurvey(survey: Survey, at: string): void;
  /** Survey versions are immutable: a stored version always loads the same. */
  loadSurvey(id: string): Survey;

  insertConversation(row: ConversationRow): void;
  /** Saves `row` as revision `expectedRevision + 1`, or throws RevisionConflict. */
  updateConversation(row: ConversationRow, expectedRevision: number, before?: Pick<ConversationRow, 'open'>): void;
  conversation(id: string): ConversationRow | undefined;
  /** Open conversations of one phone in one project, oldest invitation first. */
  openConversations(project: string, phone: string): ConversationRow[];
  /** Every conversation of a project, oldest first (admin views, replay). */
  conversations(project: string): ConversationRow[];

  enqueue(row: NewOutboxRow): number;
  /** Pending outbox rows whose time has come, in the order they were meant to go out. */
  dueOutbox(now: string, limit?: number): OutboxRow[];
  outbox(conversationId: string): OutboxRow[];
  /** When the earliest pending row (deferred by quiet hours or backoff) becomes due. */
  nextOutboxDue(): string | undefined;
  markOutbox(id: number, status: OutboxStatus, error?: string | null): void;
  /** Texts not yet sent to a phone that has just opted out must never leave. */
  suppressPendingTexts(project: string, phone: string): number;

  setTimer(conversationId: string, kind: TimerKind, dueAt: string, revision: number): void;
  cancelTimers(conversationId: string): void;
  dueTimers(now: string, limit?: number): TimerRow[];
  pendingTimers(conversationId: string): TimerRow[];
  nextTimerDue(): string | undefined;
  markTimerFired(id: number): void;

  optOut(project: string, phone: string, at: string, source: string): void;
  optIn(project: string, phone: string): void;
  isOptedOut(project: string, phone: string): boolean;
  /** When a phone-level text (no conversation) of this kind was last queued for the phone, if ever. */
  lastPhoneTextAt(project: string, phone: string, kind: string): string | undefined;

  /** Appends to the conversation's audit transcript (or the project's, for phone-level entries). */
  appendTranscript(row: TranscriptRow): void;
  transcript(conversationId: string): TranscriptRow[];
}
