import type { Database } from 'better-sqlite3';
import { transcriptOfConversationSql } from '../storage/transcript-chain.js';

/** Read-only views of the conversation tables for the admin API. */

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

export interface AdminQueries {
  conversations(limit: number): ConversationSummary[];
  conversation(id: string): ConversationSummary | undefined;
  transcript(id: string): TranscriptEntry[];
  redcapWriteFailures(id: string): RedcapWriteFailure[];
  optOuts(): OptOutEntry[];
}

const SUMMARY = `SELECT id, project, record_id AS recordId, instrument, status, open, created_at AS createdAt,
  updated_at AS updatedAt FROM conversations`;

export function sqliteAdminQueries(db: Database): AdminQueries {
  const list = db.prepare(`${SUMMARY} ORDER BY created_at DESC, id LIMIT ?`);
  const one = db.prepare(`${SUMMARY} WHERE id = ?`);
  const transcript = db.prepare(transcriptOfConversationSql('direction, kind, body, at'));
  const failures = db.prepare(`SELECT id AS outboxId, last_error AS error, created_at AS createdAt FROM outbox
    WHERE conversation_id = ? AND channel = 'redcap' AND status = 'failed' ORDER BY id`);
  const optOuts = db.prepare('SELECT project, phone, opted_out_at AS optedOutAt, source FROM opt_outs ORDER BY opted_out_at, phone');
  const summary = (row: unknown) => ({ ...(row as ConversationSummary), open: (row as { open: number }).open === 1 });
  return {
    conversations: (limit) => list.all(limit).map(summary),
    conversation: (id) => {
      const row = one.get(id);
      return row === undefined ? undefined : summary(row);
    },
    transcript: (id) => transcript.all(id) as TranscriptEntry[],
    redcapWriteFailures: (id) => failures.all(id) as RedcapWriteFailure[],
    optOuts: () => optOuts.all() as OptOutEntry[],
  };
}
