import type { Database, Statement } from 'better-sqlite3';

/**
 * The monthly segment budget: pure rules plus the `segment_usage` table (migration 0005).
 * A month is the calendar month in the project's time zone, as a study team reads its plan.
 */

export const BUDGET_WARNING_SHARE = 0.8;

export type BudgetState = 'ok' | 'warning' | 'exhausted';

export interface BudgetUsage {
  readonly project: string;
  readonly month: string;
  readonly used: number;
  readonly budget: number;
  readonly state: BudgetState;
}

/** `YYYY-MM` of `at` in `timeZone`. */
export function monthOf(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}`;
}

export function budgetState(used: number, budget: number): BudgetState {
  if (used >= budget) return 'exhausted';
  return used >= budget * BUDGET_WARNING_SHARE ? 'warning' : 'ok';
}

/** True when a send of `cost` segments takes usage across the warning line. */
export function crossesWarning(usedBefore: number, cost: number, budget: number): boolean {
  const line = budget * BUDGET_WARNING_SHARE;
  return usedBefore < line && usedBefore + cost >= line;
}

/** Segments sent per project and calendar month; SQLite answers at once, PostgreSQL over the pool. */
export interface SegmentUsage {
  used(project: string, month: string): number | Promise<number>;
  record(project: string, month: string, segments: number): void | Promise<void>;
}

export class SegmentUsageStore implements SegmentUsage {
  private readonly read: Statement;
  private readonly add: Statement;

  constructor(db: Database) {
    this.read = db.prepare('SELECT segments FROM segment_usage WHERE project = ? AND month = ?');
    this.add = db.prepare(`INSERT INTO segment_usage (project, month, segments) VALUES (?, ?, ?)
      ON CONFLICT (project, month) DO UPDATE SET segments = segments + excluded.segments`);
  }

  used(project: string, month: string): number {
    return (this.read.get(project, month) as { segments: number } | undefined)?.segments ?? 0;
  }

  record(project: string, month: string, segments: number): void {
    this.add.run(project, month, segments);
  }
}
