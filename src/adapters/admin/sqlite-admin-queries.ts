import type { Database } from 'better-sqlite3';
import { transcriptOfConversationSql } from '../storage/transcript-chain.js';

import type { AdminQueries, ConversationSummary, OptOutEntry, RedcapWriteFailure, TranscriptEntry } from '../../ports/storage/admin-reads.js';
import { gateOf } from '../storage/database-gate.js';

export type { AdminQueries, ConversationSummary, OptOutEntry, RedcapWriteFailure, TranscriptEntry } from '../../ports/storage/admin-reads.js';

/** Read-only views of the conversation tables for the admin API, each after any open unit of work. */

const SUMMARY = `SELECT id, project, record_id AS recordId, instrument, status, open, created_at AS createdAt,
  updated_at AS updatedAt FROM conversations`;

export function sqliteAdminQueries(db: Database): AdminQueries {
  const list = db.prepare(`${SUMMARY} ORDER BY created_at DESC, id LIMIT ?`);
  const one = db.prepare(`${SUMMARY} WHERE id = ?`);
  const transcript = db.prepare(transcriptOfConversationSql('direction, kind, body, at'));
  const failures = db.prepare(`SELECT id AS outboxId, last_error AS error, created_at AS createdAt FROM outbox
    WHERE conversation_id = ? AND channel = 'redcap' AND status = 'failed' ORDER BY id`);
  const optOuts = db.prepare('SELECT project, phone, opted_out_at AS optedOutAt, source FROM opt_outs ORDER BY opted_out_at, phone');
  const summary = (row: unknown): ConversationSummary => ({ ...(row as ConversationSummary), open: (row as { open: number }).open === 1 });
  const gate = gateOf(db);
  return {
    conversations: (limit) => gate.run(() => list.all(limit).map(summary)),
    conversation: (id) => gate.run(() => {
      const row = one.get(id);
      return row === undefined ? undefined : summary(row);
    }),
    transcript: (id) => gate.run(() => transcript.all(id) as TranscriptEntry[]),
    redcapWriteFailures: (id) => gate.run(() => failures.all(id) as RedcapWriteFailure[]),
    optOuts: () => gate.run(() => optOuts.all() as OptOutEntry[]),
  };
}
