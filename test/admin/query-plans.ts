import type { Database } from 'better-sqlite3';

/**
 * The query plan of every statement `build` prepares on `db` (SQLite's EXPLAIN QUERY PLAN details), each
 * planned with every `?` bound to `parameter`: how tests hold the HTTP thread's reads to indexes.
 */
export function plansOf(db: Database, build: (db: Database) => unknown, parameter: string | number = 100): string[] {
  const plans: string[] = [];
  const prepare = db.prepare.bind(db);
  const planning = {
    prepare: (sql: string) => {
      const parameters = (sql.match(/\?/g) ?? []).map(() => parameter);
      plans.push(...(prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...parameters) as { detail: string }[]).map((row) => row.detail));
      return prepare(sql);
    },
  };
  build(planning as unknown as Database);
  return plans;
}
