import type pg from 'pg';
import type { SegmentUsage } from '../provider/segment-budget.js';

/** The monthly segment budget's counts in PostgreSQL: one upsert per sent text, so instances share the count. */
export function postgresSegmentUsage(pool: pg.Pool): SegmentUsage {
  return {
    async used(project, month) {
      const found = await pool.query<{ segments: number }>('SELECT segments FROM segment_usage WHERE project = $1 AND month = $2', [project, month]);
      return found.rows[0]?.segments ?? 0;
    },
    async record(project, month, segments) {
      await pool.query(`INSERT INTO segment_usage (project, month, segments) VALUES ($1, $2, $3)
        ON CONFLICT (project, month) DO UPDATE SET segments = segment_usage.segments + excluded.segments`, [project, month, segments]);
    },
  };
}
