import type { ContextChanges } from '../../conversation/index.js';
import type { Survey } from '../../dictionary/model.js';
import type { RedcapSyncStore } from './redcap-sync-store.js';
import type {
  ConversationRow, InboundRow, NewOutboxRow, OutboxRow, OutboxStatus, TimerKind, TimerRow, TranscriptRow,
} from './rows.js';

/** Another writer saved the conversation since it was loaded; the unit of work must not commit. */
export class RevisionConflict extends Error {
  constructor(readonly conversationId: string, readonly expected: number) {
    super(`conversation ${conversationId} is no longer at revision ${expected}`);
  }
}

/** How many times in all an outermost unit of work runs when it keeps meeting a RevisionConflict. */
export const UNIT_OF_WORK_ATTEMPTS = 3;

/**
 * Runs `attempt` (one whole outermost unit: begin, work, commit) again while it fails with a
 * RevisionConflict, at most UNIT_OF_WORK_ATTEMPTS times in all; then the conflict is the caller's.
 * Every adapter's outermost `transaction` goes through it (see decision 0025).
 */
export async function retryOnRevisionConflict<T>(attempt: () => Promise<T>): Promise<T> {
  for (let run = 1; ; run += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof RevisionConflict) || run >= UNIT_OF_WORK_ATTEMPTS) throw error;
    }
  }
}

/**
 * The conversation engine's storage (decision 0025). Every method returns a promise, so a backend whose
 * queries are asynchronous (PostgreSQL's `pg`) serves the port as it is; SQLite settles them at once.
 *
 * Called on the store itself, each method is its own small transaction (autocommit). A unit of work runs
 * as `store.transaction(async (tx) => …)`: `tx` is the unit's handle, bound to one transaction (one
 * connection, for a pooled backend), and carries every read and write of the unit, the REDCap sync
 * queue's included (`tx.sync`). The unit's reads see its own writes; its writes commit together when
 * `work` settles, or not at all if it rejects. Use only `tx` inside the unit: the store itself waits
 * for the unit to end.
 */
export interface ConversationStore {
  /**
   * Runs `work` as one unit of work and commits it. On the store: a transaction of its own, run again
   * (at most UNIT_OF_WORK_ATTEMPTS times in all) while it rejects with RevisionConflict. On a unit's `tx`:
   * a nested unit (a savepoint) inside it, rolled back alone if `work` rejects, never retried alone.
   */
  transaction<T>(work: (tx: UnitOfWork) => Promise<T>): Promise<T>;

  /** False when this provider message id was seen before (a retried webhook). */
  insertInbound(row: InboundRow): Promise<boolean>;

  saveSurvey(survey: Survey, at: string): Promise<void>;
  /** Survey versions are immutable: a stored version always loads the same. Rejects for an unknown id. */
  loadSurvey(id: string): Promise<Survey>;

  insertConversation(row: ConversationRow): Promise<void>;
  /**
   * Saves `row` as revision `expectedRevision + 1`, or rejects with RevisionConflict. `changes`: what the
   * snapshot's record and `answered` list changed since revision `expectedRevision` (a step's result says),
   * so only that is written of them; without it, all of them are.
   */
  updateConversation(row: ConversationRow, expectedRevision: number, before?: Pick<ConversationRow, 'open'>, changes?: ContextChanges): Promise<void>;
  conversation(id: string): Promise<ConversationRow | undefined>;
  /** Open conversations of one phone in one project, oldest invitation first. */
  openConversations(project: string, phone: string): Promise<ConversationRow[]>;
  /** The phone's newest conversation in the project, open or not (the language its phone-level texts speak). */
  latestConversation(project: string, phone: string): Promise<ConversationRow | undefined>;
  /** Every conversation of a project, oldest first (admin views, replay). */
  conversations(project: string): Promise<ConversationRow[]>;

  enqueue(row: NewOutboxRow): Promise<number>;
  /** Pending outbox rows whose time has come, in the order they were meant to go out. */
  dueOutbox(now: string, limit?: number): Promise<OutboxRow[]>;
  outbox(conversationId: string): Promise<OutboxRow[]>;
  /** When the earliest pending row (deferred by quiet hours or backoff) becomes due. */
  nextOutboxDue(): Promise<string | undefined>;
  markOutbox(id: number, status: OutboxStatus, error?: string | null): Promise<void>;
  /** Texts not yet sent to a phone that has just opted out must never leave. Resolves to how many. */
  suppressPendingTexts(project: string, phone: string): Promise<number>;

  setTimer(conversationId: string, kind: TimerKind, dueAt: string, revision: number): Promise<void>;
  cancelTimers(conversationId: string): Promise<void>;
  dueTimers(now: string, limit?: number): Promise<TimerRow[]>;
  pendingTimers(conversationId: string): Promise<TimerRow[]>;
  nextTimerDue(): Promise<string | undefined>;
  markTimerFired(id: number): Promise<void>;

  /**
   * Records the opt-out (the first one stands) and, in the same transaction, queues its REDCap write
   * (`channel = 'redcap'`, kind `opt-out`, payload `{ at }`) unless the phone was opted out already.
   */
  optOut(project: string, phone: string, at: string, source: string): Promise<void>;
  /** Forgets the opt-out and, in the same transaction, queues an `opt-in` REDCap write if there was one. */
  optIn(project: string, phone: string): Promise<void>;
  isOptedOut(project: string, phone: string): Promise<boolean>;
  /** When a phone-level text (no conversation) of this kind was last queued for the phone, if ever. */
  lastPhoneTextAt(project: string, phone: string, kind: string): Promise<string | undefined>;

  /** Appends to the conversation's audit transcript (or the project's, for phone-level entries). */
  appendTranscript(row: TranscriptRow): Promise<void>;
  transcript(conversationId: string): Promise<TranscriptRow[]>;
}

/**
 * One unit of work's handle: the conversation store and the REDCap sync queue, bound to the unit's
 * transaction. Its `transaction` opens a nested unit (savepoint) on the same transaction.
 */
export interface UnitOfWork extends ConversationStore {
  readonly sync: RedcapSyncStore;
}
