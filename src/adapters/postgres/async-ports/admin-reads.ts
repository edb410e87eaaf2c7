// A copy of src/ports/storage/admin-reads.ts at f29942d563187596d0ba3880b744e5a38b740c69 (branch async): the PostgreSQL adapter is typed against the
// async ports before they are merged. At merge: delete this folder and import from src/ports/storage/.
/**
 * What the HTTP side reads for the admin API, the dashboard and GET /metrics (decision 0025). These reads
 * run where the webhooks are answered, so an adapter serves each from an index or one row per
 * conversation, never the transcript or the outbox whole. Rows name records, instruments, outcomes and
 * projects: never a phone number or a message body, except the admin API's opt-out list and transcripts,
 * which the API itself redacts unless asked.
 */

export interface ConversationSummary {
  readonly id: string;
  readonly project: string;
  readonly recordId: string;
  readonly instrument: string;
  readonly status: string;
  readonly open: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface TranscriptEntry {
  readonly direction: string;
  readonly kind: string;
  readonly body: string;
  readonly at: string;
}

export interface OptOutEntry {
  readonly project: string;
  readonly phone: string;
  readonly optedOutAt: string;
  readonly source: string;
}

/** A write REDCap refused for good (validation): kept for staff, with REDCap's reason and never the values. */
export interface RedcapWriteFailure {
  readonly outboxId: number;
  readonly error: string;
  readonly createdAt: string;
}

/** The admin API's reads. */
export interface AdminQueries {
  /** The latest conversations first. */
  conversations(limit: number): Promise<ConversationSummary[]>;
  conversation(id: string): Promise<ConversationSummary | undefined>;
  transcript(id: string): Promise<TranscriptEntry[]>;
  redcapWriteFailures(id: string): Promise<RedcapWriteFailure[]>;
  optOuts(): Promise<OptOutEntry[]>;
}

export interface StatusCount { project: string; instrument: string; status: string; count: number }
export interface FunnelRow { project: string; instrument: string; invited: number; started: number; completed: number }

/** A conversation's invitation text and what became of it. */
export interface InvitationRecord {
  conversationId: string;
  project: string;
  recordId: string;
  instrument: string;
  invitedAt: string;
  conversationStatus: string;
  /** The outbox row of the first text, absent while the invitation waits behind another survey. */
  text: { status: string; deliveryStatus: string | null; error: string | null; errorCode: number | null } | null;
}

export interface ProblemRecord { at: string; project: string; kind: 'text' | 'redcap' | 'conversation'; detail: string; conversationId: string | null }

export interface DashboardData {
  statuses: StatusCount[];
  funnel: FunnelRow[];
  invitations: InvitationRecord[];
  optOuts: number;
  pendingWrites: number;
  problems: ProblemRecord[];
}

export interface DayFigure {
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  invited: number;
  /** The participant texted at least once. */
  started: number;
  completed: number;
}

export interface DurationBucket {
  label: string;
  count: number;
}

/** Conversations of one instrument that stopped on one question. */
export interface DropOff {
  project: string;
  instrument: string;
  /** The field being asked when the conversation stopped; null when no question had been asked yet. */
  field: string | null;
  /** The field's place in the instrument (dictionary order), for sorting; null if no version names it. */
  position: number | null;
  stopped: number;
}

export interface DashboardTrends {
  days: DayFigure[];
  completionTimes: DurationBucket[];
  dropOff: DropOff[];
}

/** The study dashboard's reads: the tables, and the charts' figures up to `now`. */
export interface DashboardQueries {
  read(limit?: number): Promise<DashboardData>;
  trends(now: Date): Promise<DashboardTrends>;
}

export type QueueChannel = 'sms' | 'redcap';

export interface QueueFigure {
  channel: QueueChannel;
  project: string;
  pending: number;
  /** When the oldest pending row was queued (ISO). */
  oldestQueuedAt: string;
}

export interface StoredFigures {
  queues: QueueFigure[];
  failed: { channel: string; project: string; count: number }[];
  optOuts: { project: string; source: string; count: number }[];
  /** Budgeted projects only: segments sent this calendar month (the project's time zone) and the budget. */
  segments: { project: string; used: number; budget: number }[];
}

/** The gauges GET /metrics reads from storage when scraped. */
export interface MetricsQueries {
  read(now: Date): Promise<StoredFigures>;
}
