/** The rows the store reads and writes, in the application's vocabulary (camelCase, booleans, parsed JSON). */

export interface ConversationRow {
  id: string;
  project: string;
  phone: string;
  recordId: string;
  instrument: string;
  surveyVersion: string;
  status: string;
  open: boolean;
  active: boolean;
  /** The persisted machine snapshot, already parsed from JSON. */
  snapshot: unknown;
  snapshotFormat: number;
  machineVersion: number;
  revision: number;
  createdAt: string;
  updatedAt: string;
}

export interface InboundRow {
  provider: string;
  providerMessageId: string;
  project: string;
  phone: string;
  receivedAt: string;
}

export type OutboxChannel = 'sms' | 'redcap';
export type OutboxStatus = 'pending' | 'sent' | 'failed' | 'suppressed';

export interface NewOutboxRow {
  conversationId: string | null;
  project: string;
  channel: OutboxChannel;
  kind: string;
  phone: string | null;
  payload: unknown;
  /** `suppressed` for a text to a phone that has opted out: kept for the audit, never sent. */
  status: 'pending' | 'suppressed';
  nextAttemptAt: string;
  createdAt: string;
  /** Why a row is stored suppressed, when it is not an opt-out (`provider replied`). */
  lastError?: string | null;
}

export interface OutboxRow extends Omit<NewOutboxRow, 'status'> {
  id: number;
  status: OutboxStatus;
  attempts: number;
  lastError: string | null;
}

export type TimerKind = 'reminder' | 'expiry';

export interface TimerRow {
  id: number;
  conversationId: string;
  kind: TimerKind;
  dueAt: string;
  revision: number;
  status: 'pending' | 'fired' | 'cancelled';
}

export interface TranscriptRow {
  conversationId: string | null;
  project: string;
  direction: 'in' | 'out' | 'event';
  kind: string;
  body: string;
  at: string;
}
