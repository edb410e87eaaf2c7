import type { Database, Statement } from 'better-sqlite3';
import type { DashboardTrends, DayFigure, DropOff } from '../../ports/storage/admin-reads.js';

/**
 * The dashboard's charts: invitations and responses per day, how long participants took to complete, and
 * the question each conversation that stopped without completing was on. Read on the HTTP thread like the
 * rest of the dashboard, so each query reads an index range or one row per conversation (its snapshot's
 * current field, with SQLite's JSON functions), never a transcript.
 */

export type { DashboardTrends, DayFigure, DropOff, DurationBucket } from '../../ports/storage/admin-reads.js';

/** The days the dashboard charts, today included. */
export const TREND_DAYS = 30;

/** Statuses of a conversation that ended without completing: expired, opted out, or replaced by a newer invitation. */
export const STOPPED_STATUSES = ['expired', 'opted_out', 'superseded'] as const;

/** Time from invitation to completion, in minutes: each bucket's upper bound, the last open-ended. */
export const COMPLETION_BUCKETS: readonly { label: string; below: number }[] = [
  { label: '< 5 min', below: 5 },
  { label: '5–15 min', below: 15 },
  { label: '15–60 min', below: 60 },
  { label: '1–4 h', below: 240 },
  { label: '4–24 h', below: 1_440 },
  { label: '1–3 days', below: 4_320 },
  { label: '3+ days', below: Number.POSITIVE_INFINITY },
];

const bucketOf = COMPLETION_BUCKETS.map((bucket, index) => (Number.isFinite(bucket.below) ? `WHEN minutes < ${bucket.below} THEN ${index}` : `ELSE ${index}`)).join(' ');
const stopped = STOPPED_STATUSES.map((status) => `'${status}'`).join(', ');

const SQL = {
  // The created_at index finds the window; each conversation in it is one row.
  days: `SELECT substr(created_at, 1, 10) AS day, COUNT(*) AS invited, SUM(replied) AS started, SUM(status = 'completed') AS completed
    FROM conversations WHERE created_at >= ? GROUP BY day ORDER BY day`,
  // A completed conversation is saved last when it completes, so updated_at is the completion time; rounded to
  // the second, as julianday's floating point would put exactly five minutes below five.
  completionTimes: `SELECT CASE ${bucketOf} END AS bucket, COUNT(*) AS count FROM (
      SELECT ROUND((julianday(updated_at) - julianday(created_at)) * 86400) / 60.0 AS minutes FROM conversations WHERE status = 'completed')
    GROUP BY bucket`,
  stoppedAt: `SELECT project, instrument, survey_version AS version, json_extract(snapshot, '$.context.current') AS field, COUNT(*) AS stopped
    FROM conversations WHERE status IN (${stopped}) GROUP BY project, instrument, version, field`,
  // One survey version's definition, once per version that has stopped conversations.
  fieldOrder: `SELECT json_extract(i.value, '$.name') AS instrument, CAST(f.key AS INTEGER) AS position, f.value AS field
    FROM survey_versions v, json_each(v.definition, '$.instruments') i, json_each(i.value, '$.fields') f WHERE v.id = ?`,
};

/** The charts' figures up to `now`, read at once (the caller passes the connection's gate). */
export function sqliteDashboardTrends(db: Database): (now: Date) => DashboardTrends {
  const statements = Object.fromEntries(Object.entries(SQL).map(([name, sql]) => [name, db.prepare(sql)])) as Record<keyof typeof SQL, Statement>;
  return (now) => {
    const window = trendWindow(now);
    const counted = new Map((statements.days.all(`${window[0]}T00:00:00.000Z`) as DayFigure[]).map((row) => [row.day, row]));
    const buckets = new Map((statements.completionTimes.all() as { bucket: number; count: number }[]).map((row) => [row.bucket, row.count]));
    return {
      days: window.map((day) => {
        const row = counted.get(day);
        return { day, invited: row?.invited ?? 0, started: Number(row?.started ?? 0), completed: Number(row?.completed ?? 0) };
      }),
      completionTimes: COMPLETION_BUCKETS.map((bucket, index) => ({ label: bucket.label, count: buckets.get(index) ?? 0 })),
      dropOff: dropOff(statements),
    };
  };
}

/** The TREND_DAYS days up to and including `now`'s, as `YYYY-MM-DD` in UTC. */
export function trendWindow(now: Date, days = TREND_DAYS): string[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: days }, (_, i) => new Date(today - (days - 1 - i) * 86_400_000).toISOString().slice(0, 10));
}

interface StoppedRow { project: string; instrument: string; version: string; field: string | null; stopped: number }

/** Stopped conversations summed over survey versions, in each instrument's question order. */
function dropOff(statements: Record<keyof typeof SQL, Statement>): DropOff[] {
  const rows = statements.stoppedAt.all() as StoppedRow[];
  const orders = new Map<string, Map<string, number>>();
  const positionOf = (row: StoppedRow): number | null => {
    if (row.field === null) return null;
    let order = orders.get(row.version);
    if (order === undefined) {
      const fields = statements.fieldOrder.all(row.version) as { instrument: string; position: number; field: string }[];
      order = new Map(fields.map((f) => [`${f.instrument}\u0000${f.field}`, f.position]));
      orders.set(row.version, order);
    }
    return order.get(`${row.instrument}\u0000${row.field}`) ?? null;
  };
  const merged = new Map<string, DropOff>();
  for (const row of rows) {
    const key = JSON.stringify([row.project, row.instrument, row.field]);
    const position = positionOf(row);
    const known = merged.get(key);
    if (known === undefined) {
      merged.set(key, { project: row.project, instrument: row.instrument, field: row.field, position, stopped: row.stopped });
    } else {
      known.stopped += row.stopped;
      if (position !== null && (known.position === null || position < known.position)) known.position = position;
    }
  }
  return [...merged.values()].sort((a, b) =>
    a.project.localeCompare(b.project) || a.instrument.localeCompare(b.instrument) || (a.position ?? -1) - (b.position ?? -1)
    || (a.field ?? '').localeCompare(b.field ?? ''));
}
