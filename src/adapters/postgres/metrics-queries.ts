import type pg from 'pg';
import type { ProjectRegistry } from '../../config/projects.js';
import { monthOf } from '../provider/segment-budget.js';
import type { MetricsQueries, QueueFigure, StoredFigures } from '../../ports/storage/admin-reads.js';

/**
 * What GET /metrics reads from PostgreSQL when scraped: the queues (their partial indexes), what was kept as
 * failed, opt-outs and segments used. Rows name projects and channels only.
 */
const SQL = {
  // The oldest pending row of each queue is its lowest id, so its created_at is read by primary key.
  queues: `SELECT q.channel, q.project, q.pending, o.created_at AS "oldestQueuedAt" FROM (
      SELECT channel, project, COUNT(*) AS pending, MIN(id) AS oldest FROM outbox WHERE status = 'pending' GROUP BY channel, project) q
    JOIN outbox o ON o.id = q.oldest ORDER BY q.channel DESC, q.project`,
  failed: `SELECT channel, project, COUNT(*) AS count FROM outbox WHERE status = 'failed' GROUP BY channel, project ORDER BY channel, project`,
  optOuts: 'SELECT project, source, COUNT(*) AS count FROM opt_outs GROUP BY project, source ORDER BY project, source',
  segments: 'SELECT segments FROM segment_usage WHERE project = $1 AND month = $2',
};

export function postgresMetricsQueries(pool: pg.Pool, projects: ProjectRegistry): MetricsQueries {
  const rows = async <R extends pg.QueryResultRow>(sql: string, params: unknown[] = []) => (await pool.query<R>(sql, params)).rows;
  const budgeted = async (now: Date): Promise<StoredFigures['segments']> =>
    Promise.all(projects.projects.flatMap((project) => {
      const budget = project.monthlySegmentBudget;
      if (budget === undefined) return [];
      return [rows<{ segments: number }>(SQL.segments, [project.id, monthOf(now, project.timeZone)])
        .then((found) => ({ project: project.id, used: found[0]?.segments ?? 0, budget }))];
    }));
  return {
    async read(now) {
      const [queues, failed, optOuts, segments] = await Promise.all([
        rows<QueueFigure>(SQL.queues),
        rows<StoredFigures['failed'][number]>(SQL.failed),
        rows<StoredFigures['optOuts'][number]>(SQL.optOuts),
        budgeted(now),
      ]);
      return { queues, failed, optOuts, segments };
    },
  };
}
