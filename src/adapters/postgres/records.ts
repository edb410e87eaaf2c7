import type { ConversationRow, OutboxRow, OutboxStatus, TimerKind, TimerRow } from '../../ports/storage/rows.js';
import type { InvitationMode, InvitationRow } from '../../ports/storage/redcap-sync-store.js';

/**
 * PostgreSQL's rows as the ports speak them. The pool's type parsers already give ids as numbers and times
 * as ISO strings (connection.ts); jsonb arrives parsed and booleans as booleans.
 */

export interface ConversationRecord {
  id: string; project: string; phone: string; record_id: string; instrument: string; survey_version: string;
  status: string; open: boolean; active: boolean; snapshot: unknown; snapshot_format: number;
  machine_version: number; revision: number; created_at: string; updated_at: string;
}

export interface OutboxRecord {
  id: number; conversation_id: string | null; project: string; channel: string; kind: string;
  phone: string | null; payload: unknown; status: string; attempts: number; next_attempt_at: string;
  last_error: string | null; created_at: string;
}

export interface TimerRecord {
  id: number; conversation_id: string; kind: string; due_at: string; revision: number; status: string;
}

export interface InvitationRecord {
  id: number; project: string; record_id: string; instrument: string; event: string; repeat_instance: number;
  mode: string; send_at: string; status: string; conversation_id: string | null; last_error: string | null;
  attempts: number; created_at: string; language: string | null;
}

export const CONVERSATION_COLUMNS = `id, project, phone, record_id, instrument, survey_version, status, open, active,
  snapshot, snapshot_format, machine_version, revision, created_at, updated_at`;
/** The same columns read back, the snapshot as its stored text (json keeps it as written). */
export const CONVERSATION_READ_COLUMNS = `id, project, phone, record_id, instrument, survey_version, status, open, active,
  snapshot::text AS snapshot, snapshot_format, machine_version, revision, created_at, updated_at`;
export const OUTBOX_COLUMNS = `id, conversation_id, project, channel, kind, phone, payload, status, attempts,
  next_attempt_at, last_error, created_at`;
export const TIMER_COLUMNS = 'id, conversation_id, kind, due_at, revision, status';
export const INVITATION_COLUMNS = `id, project, record_id, instrument, event, repeat_instance, mode, send_at, status,
  conversation_id, last_error, attempts, created_at, language`;

export function fromConversationRecord(row: ConversationRecord): ConversationRow {
  return {
    id: row.id, project: row.project, phone: row.phone, recordId: row.record_id, instrument: row.instrument,
    surveyVersion: row.survey_version, status: row.status, open: row.open, active: row.active, snapshot: row.snapshot,
    snapshotFormat: row.snapshot_format, machineVersion: row.machine_version, revision: row.revision,
    createdAt: row.created_at, updatedAt: row.updated_at,
  };
}

export function fromOutboxRecord(row: OutboxRecord): OutboxRow {
  return {
    id: row.id, conversationId: row.conversation_id, project: row.project, channel: row.channel as OutboxRow['channel'],
    kind: row.kind, phone: row.phone, payload: row.payload, status: row.status as OutboxStatus, attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at, lastError: row.last_error, createdAt: row.created_at,
  };
}

export function fromTimerRecord(row: TimerRecord): TimerRow {
  return {
    id: row.id, conversationId: row.conversation_id, kind: row.kind as TimerKind, dueAt: row.due_at,
    revision: row.revision, status: row.status as TimerRow['status'],
  };
}

export function fromInvitationRecord(row: InvitationRecord): InvitationRow {
  return {
    id: row.id, project: row.project, recordId: row.record_id, instrument: row.instrument, event: row.event,
    repeatInstance: row.repeat_instance, mode: row.mode as InvitationMode, sendAt: row.send_at,
    status: row.status as InvitationRow['status'], conversationId: row.conversation_id, lastError: row.last_error,
    attempts: row.attempts, createdAt: row.created_at, language: row.language,
  };
}

/** A JSON value as a jsonb parameter (`$n::jsonb`): pg would send a JS array as a PostgreSQL array. */
export function json(value: unknown): string {
  return JSON.stringify(value);
}

/**
 * How long a claimed row stays an instance's: past it, another instance takes the row over (the first one
 * died mid-send). Longer than a send's timeouts; leases follow the database's clock, not the service's.
 * POSTGRES_CLAIM_LEASE_SECONDS sets it (tests shorten it to see a takeover).
 */
export const DEFAULT_CLAIM_LEASE_SECONDS = 120;

/** The lease as an SQL interval; the seconds are a whole number, checked here, never text from outside. */
export function claimLease(seconds: number): string {
  if (!Number.isInteger(seconds) || seconds < 1) throw new RangeError(`a claim lease is a whole number of seconds (got ${seconds})`);
  return `interval '${seconds} seconds'`;
}
