import type { Database, Statement } from 'better-sqlite3';
import type { ProjectRegistry } from '../../config/projects.js';
import type { MetricsQueries, QueueChannel, QueueFigure, StoredFigures } from '../../ports/storage/admin-reads.js';
import { gateOf } from '../storage/database-gate.js';
import { monthOf } from '../provider/segment-budget.js';

/**
 * What /metrics reads from the database when scraped: the queues, what was kept as failed, opt-outs and
 * segments used. Scrapes run on the HTTP thread every few seconds, so each query reads a partial index
 * (pending rows), the failed rows, the opt-outs, or one row per project: never the outbox or the transcript
 * whole. Rows name projects and channels only.
 */

export type { MetricsQueries, QueueFigure, StoredFigures } from '../../ports/storage/admin-reads.js';

const SQL = {
  // Each reads its partial index alone (migrations 0013, 0014): project, id and count are all in it.
  pendingTexts: `SELECT 'sms' AS channel, project, COUNT(*) AS pending, MIN(id) AS oldest FROM outbox
    WHERE channel = 'sms' AND status = 'pending' GROUP BY project`,
  pendingWrites: `SELECT 'redcap' AS channel, project, COUNT(*) AS pending, MIN(id) AS oldest FROM outbox
    WHERE channel = 'redcap' AND status = 'pending' GROUP BY project`,
  queuedAt: 'SELECT created_at AS at FROM outbox WHERE id = ?',
  failed: `SELECT channel, project, COUNT(*) AS count FROM outbox WHERE status = 'failed' GROUP BY channel, project ORDER BY channel, project`,
  optOuts: 'SELECT project, source, COUNT(*) AS count FROM opt_outs GROUP BY project, source ORDER BY project, source',
  segments: 'SELECT segments FROM segment_usage WHERE project = ? AND month = ?',
};

export function sqliteMetricsQueries(db: Database, projects: ProjectRegistry): MetricsQueries {
  const statements = Object.fromEntries(Object.entries(SQL).map(([name, sql]) => [name, db.prepare(sql)])) as Record<keyof typeof SQL, Statement>;
  const queues = (statement: Statement): QueueFigure[] =>
    (statement.all() as { channel: QueueChannel; project: string; pending: number; oldest: number }[]).map(({ oldest, ...queue }) => ({
      ...queue, oldestQueuedAt: (statements.queuedAt.get(oldest) as { at: string }).at,
    }));
  const gate = gateOf(db);
  return {
    read: (now) => gate.run(() => ({
        queues: [...queues(statements.pendingTexts), ...queues(statements.pendingWrites)],
        failed: statements.failed.all() as StoredFigures['failed'],
        optOuts: statements.optOuts.all() as StoredFigures['optOuts'],
        segments: projects.projects.flatMap((project) => {
          const budget = project.monthlySegmentBudget;
          if (budget === undefined) return [];
          const row = statements.segments.get(project.id, monthOf(now, project.timeZone)) as { segments: number } | undefined;
          return [{ project: project.id, used: row?.segments ?? 0, budget }];
        }),
    })),
  };
}
