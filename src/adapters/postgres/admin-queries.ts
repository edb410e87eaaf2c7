import type pg from 'pg';
import type { AdminQueries, ConversationSummary, OptOutEntry, RedcapWriteFailure, TranscriptEntry } from '../../ports/storage/admin-reads.js';
import { transcriptSql } from './transcript-chain.js';

const SUMMARY = `SELECT id, project, record_id AS "recordId", instrument, status, open, created_at AS "createdAt",
  updated_at AS "updatedAt" FROM conversations`;
const TRANSCRIPT = transcriptSql('direction, kind, body, at');

/** The admin API's reads on PostgreSQL, each one statement on the pool. */
export function postgresAdminQueries(pool: pg.Pool): AdminQueries {
  const rows = async <R extends pg.QueryResultRow>(sql: string, params: unknown[] = []) => (await pool.query<R>(sql, params)).rows;
  return {
    conversations: (limit) => rows<ConversationSummary>(`${SUMMARY} ORDER BY created_at DESC, id LIMIT $1`, [limit]),
    conversation: async (id) => (await rows<ConversationSummary>(`${SUMMARY} WHERE id = $1`, [id]))[0],
    transcript: (id) => rows<TranscriptEntry>(TRANSCRIPT, [id]),
    redcapWriteFailures: (id) =>
      rows<RedcapWriteFailure>(
        `SELECT id AS "outboxId", last_error AS error, created_at AS "createdAt" FROM outbox
         WHERE conversation_id = $1 AND channel = 'redcap' AND status = 'failed' ORDER BY id`,
        [id],
      ),
    optOuts: () => rows<OptOutEntry>('SELECT project, phone, opted_out_at AS "optedOutAt", source FROM opt_outs ORDER BY opted_out_at, phone'),
  };
}
