import type pg from 'pg';
import { COMPLETION_BUCKETS, STOPPED_STATUSES, trendWindow } from '../admin/dashboard-trends.js';
import type {
  DashboardData, DashboardQueries, DashboardTrends, DayFigure, DropOff, FunnelRow, InvitationRecord, ProblemRecord, StatusCount,
} from '../../ports/storage/admin-reads.js';

interface InvitationRow {
  conversationId: string; project: string; recordId: string; instrument: string; invitedAt: string; conversationStatus: string;
  textStatus: string | null; deliveryStatus: string | null; error: string | null; errorCode: number | null;
}

const bucketOf = COMPLETION_BUCKETS.map((bucket, index) => (Number.isFinite(bucket.below) ? `WHEN minutes < ${bucket.below} THEN ${index}` : `ELSE ${index}`)).join(' ');
const stopped = STOPPED_STATUSES.map((status) => `'${status}'`).join(', ');

/**
 * The study dashboard's reads on PostgreSQL: the same figures as SQLite's (adapters/admin/), each query an
 * index range or one row per conversation. The drop-off's question order comes from the survey versions'
 * jsonb, merged over versions in SQL.
 */
const SQL = {
  statuses: `SELECT project, instrument, status, COUNT(*) AS count FROM conversations
    GROUP BY project, instrument, status ORDER BY project, instrument, status`,
  funnel: `SELECT project, instrument, COUNT(*) AS invited, COUNT(*) FILTER (WHERE replied) AS started,
      COUNT(*) FILTER (WHERE status = 'completed') AS completed
    FROM conversations GROUP BY project, instrument ORDER BY project, instrument`,
  invitations: `SELECT c.id AS "conversationId", c.project, c.record_id AS "recordId", c.instrument, c.created_at AS "invitedAt",
      c.status AS "conversationStatus", o.status AS "textStatus", o.delivery_status AS "deliveryStatus", o.last_error AS error,
      o.delivery_error AS "errorCode"
    FROM (SELECT * FROM conversations ORDER BY created_at DESC, seq DESC LIMIT $1) c
    LEFT JOIN outbox o ON o.id = (
      SELECT MIN(x.id) FROM outbox x
      WHERE x.channel = 'sms' AND x.project = c.project AND x.phone = c.phone AND x.conversation_id = c.id)
    ORDER BY c.created_at DESC, c.seq DESC`,
  counts: `SELECT (SELECT COUNT(*) FROM opt_outs) AS "optOuts",
      (SELECT COUNT(*) FROM outbox WHERE channel = 'redcap' AND status = 'pending') AS "pendingWrites"`,
  problems: `SELECT at, project, kind, detail, "conversationId" FROM (
      SELECT created_at AS at, project, CASE channel WHEN 'redcap' THEN 'redcap' ELSE 'text' END AS kind,
        COALESCE(last_error, 'failed') AS detail, conversation_id AS "conversationId", id AS tiebreak
      FROM outbox WHERE status = 'failed'
      UNION ALL
      SELECT at, project, 'conversation', body, conversation_id, id FROM transcript WHERE direction = 'event' AND kind = 'flag') problems
    ORDER BY at DESC, tiebreak DESC LIMIT $1`,
  days: `SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, COUNT(*) AS invited,
      COUNT(*) FILTER (WHERE replied) AS started, COUNT(*) FILTER (WHERE status = 'completed') AS completed
    FROM conversations WHERE created_at >= $1 GROUP BY day`,
  // A completed conversation is saved last when it completes: updated_at is the completion time.
  completionTimes: `SELECT CASE ${bucketOf} END AS bucket, COUNT(*) AS count FROM (
      SELECT ROUND(EXTRACT(EPOCH FROM updated_at - created_at)) / 60.0 AS minutes FROM conversations WHERE status = 'completed') times
    GROUP BY bucket`,
  dropOff: `WITH stopped AS (
      SELECT project, instrument, survey_version, snapshot #>> '{context,current}' AS field, COUNT(*) AS stopped
      FROM conversations WHERE status IN (${stopped}) GROUP BY project, instrument, survey_version, field),
    positions AS (
      SELECT v.id AS version, i.value ->> 'name' AS instrument, f.value #>> '{}' AS field, f.position - 1 AS position
      FROM survey_versions v, jsonb_array_elements(v.definition -> 'instruments') i,
        jsonb_array_elements(i.value -> 'fields') WITH ORDINALITY f(value, position)
      WHERE v.id IN (SELECT survey_version FROM stopped))
    SELECT s.project, s.instrument, s.field, MIN(p.position) AS position, SUM(s.stopped)::integer AS stopped
    FROM stopped s LEFT JOIN positions p ON p.version = s.survey_version AND p.instrument = s.instrument AND p.field = s.field
    GROUP BY s.project, s.instrument, s.field`,
};

export function postgresDashboardQueries(pool: pg.Pool): DashboardQueries {
  const rows = async <R extends pg.QueryResultRow>(sql: string, params: unknown[] = []) => (await pool.query<R>(sql, params)).rows;
  return {
    async read(limit = 100): Promise<DashboardData> {
      const [statuses, funnel, invitations, counts, problems] = await Promise.all([
        rows<StatusCount>(SQL.statuses),
        rows<FunnelRow>(SQL.funnel),
        rows<InvitationRow>(SQL.invitations, [limit]),
        rows<{ optOuts: number; pendingWrites: number }>(SQL.counts),
        rows<ProblemRecord>(SQL.problems, [limit]),
      ]);
      return { statuses, funnel, invitations: invitations.map(toInvitation), optOuts: counts[0]!.optOuts, pendingWrites: counts[0]!.pendingWrites, problems };
    },
    async trends(now: Date): Promise<DashboardTrends> {
      const window = trendWindow(now);
      const [days, buckets, dropOff] = await Promise.all([
        rows<DayFigure>(SQL.days, [`${window[0]}T00:00:00.000Z`]),
        rows<{ bucket: number; count: number }>(SQL.completionTimes),
        rows<DropOff>(SQL.dropOff),
      ]);
      const counted = new Map(days.map((row) => [row.day, row]));
      const inBucket = new Map(buckets.map((row) => [row.bucket, row.count]));
      return {
        days: window.map((day) => ({ day, invited: 0, started: 0, completed: 0, ...counted.get(day) })),
        completionTimes: COMPLETION_BUCKETS.map((bucket, index) => ({ label: bucket.label, count: inBucket.get(index) ?? 0 })),
        dropOff: dropOff.sort(inQuestionOrder),
      };
    },
  };
}

/** By project, instrument and the question's place in it, as the SQLite dashboard sorts (in JavaScript, so collation agrees). */
function inQuestionOrder(a: DropOff, b: DropOff): number {
  return a.project.localeCompare(b.project) || a.instrument.localeCompare(b.instrument) || (a.position ?? -1) - (b.position ?? -1)
    || (a.field ?? '').localeCompare(b.field ?? '');
}

function toInvitation(row: InvitationRow): InvitationRecord {
  const { textStatus, deliveryStatus, error, errorCode, ...conversation } = row;
  return { ...conversation, text: textStatus === null ? null : { status: textStatus, deliveryStatus, error, errorCode } };
}
