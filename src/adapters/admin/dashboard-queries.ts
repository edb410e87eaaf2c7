import type { Database, Statement } from 'better-sqlite3';
import type { DashboardQueries, FunnelRow, InvitationRecord, ProblemRecord, StatusCount } from '../../ports/storage/admin-reads.js';
import { gateOf } from '../storage/database-gate.js';
import { sqliteDashboardTrends } from './dashboard-trends.js';

/**
 * What the study dashboard shows, read straight from the conversation tables. Rows name records,
 * instruments and outcomes — never a phone number or a message body.
 */

export type { DashboardData, DashboardQueries, FunnelRow, InvitationRecord, ProblemRecord, StatusCount } from '../../ports/storage/admin-reads.js';

interface InvitationRow {
  conversationId: string; project: string; recordId: string; instrument: string; invitedAt: string; conversationStatus: string;
  textStatus: string | null; deliveryStatus: string | null; error: string | null; errorCode: number | null;
}

/**
 * The dashboard is read on the HTTP thread, where a long read holds up every webhook: each query reads
 * an index or one row per conversation, never the transcript or the outbox whole (migration 0012).
 */
const SQL = {
  statuses: `SELECT project, instrument, status, COUNT(*) AS count FROM conversations
    GROUP BY project, instrument, status ORDER BY project, instrument, status`,
  // Started: the participant texted at least once in the conversation (`replied`, kept by the store).
  funnel: `SELECT project, instrument, COUNT(*) AS invited, SUM(replied) AS started, SUM(status = 'completed') AS completed
    FROM conversations GROUP BY project, instrument ORDER BY project, instrument`,
  // The latest conversations first, then the first text of each of those alone, found among its phone's texts.
  invitations: `SELECT c.id AS conversationId, c.project, c.record_id AS recordId, c.instrument, c.created_at AS invitedAt,
      c.status AS conversationStatus, o.status AS textStatus, o.delivery_status AS deliveryStatus, o.last_error AS error,
      o.delivery_error AS errorCode
    FROM (SELECT rowid AS position, * FROM conversations ORDER BY created_at DESC, rowid DESC LIMIT ?) c
    LEFT JOIN outbox o ON o.id = (
      SELECT MIN(x.id) FROM outbox x
      WHERE x.channel = 'sms' AND x.project = c.project AND x.phone = c.phone AND x.conversation_id = c.id)
    ORDER BY c.created_at DESC, c.position DESC`,
  optOuts: 'SELECT COUNT(*) AS n FROM opt_outs',
  pendingWrites: `SELECT COUNT(*) AS n FROM outbox WHERE channel = 'redcap' AND status = 'pending'`,
  problems: `SELECT at, project, kind, detail, conversationId FROM (
      SELECT created_at AS at, project, CASE channel WHEN 'redcap' THEN 'redcap' ELSE 'text' END AS kind,
        COALESCE(last_error, 'failed') AS detail, conversation_id AS conversationId, id AS tiebreak
      FROM outbox WHERE status = 'failed'
      UNION ALL
      SELECT at, project, 'conversation', body, conversation_id, id FROM transcript WHERE direction = 'event' AND kind = 'flag')
    ORDER BY at DESC, tiebreak DESC LIMIT ?`,
};

export function sqliteDashboardQueries(db: Database): DashboardQueries {
  const statements = Object.fromEntries(Object.entries(SQL).map(([name, sql]) => [name, db.prepare(sql)])) as Record<keyof typeof SQL, Statement>;
  const count = (name: 'optOuts' | 'pendingWrites') => (statements[name].get() as { n: number }).n;
  const gate = gateOf(db);
  const trends = sqliteDashboardTrends(db);
  return {
    trends: (now) => gate.run(() => trends(now)),
    read: (limit = 100) => gate.run(() => ({
        statuses: statements.statuses.all() as StatusCount[],
        funnel: (statements.funnel.all() as FunnelRow[]).map((row) => ({ ...row, started: Number(row.started), completed: Number(row.completed) })),
        invitations: (statements.invitations.all(limit) as InvitationRow[]).map(toInvitation),
        optOuts: count('optOuts'),
        pendingWrites: count('pendingWrites'),
        problems: statements.problems.all(limit) as ProblemRecord[],
    })),
  };
}

function toInvitation(row: InvitationRow): InvitationRecord {
  const { textStatus, deliveryStatus, error, errorCode, ...conversation } = row;
  return { ...conversation, text: textStatus === null ? null : { status: textStatus, deliveryStatus, error, errorCode } };
}
