import type { Database } from 'better-sqlite3';
import type pg from 'pg';
import { readMigrations } from '../storage/migrations.js';
import { inTransaction, type Session } from './session.js';

/**
 * Moves a SQLite study to PostgreSQL: every row of every table, ids kept, in one PostgreSQL transaction, so
 * the target ends with all of it or none of it. The target must be migrated and empty; the source must have
 * every SQLite migration applied (start the service on it once) and should not be written meanwhile (stop
 * the service). Rows are copied as they are: the opt-out triggers are off during the copy, since the REDCap
 * writes they would queue were queued in SQLite already and are copied with the outbox.
 */

export class CopyError extends Error {}

/** Parents before children, for the foreign keys. */
const TABLES = [
  'survey_versions', 'conversations', 'conversation_answers', 'conversation_answered', 'conversation_targets', 'inbound_messages', 'outbox', 'timers', 'opt_outs', 'transcript',
  'project_surveys', 'scheduled_invitations', 'simulator_messages', 'segment_usage', 'redcap_triggers',
] as const;

/** Rows per INSERT: large enough to be quick, small enough for one statement's parameter. */
const BATCH = 500;

export interface CopyReport {
  /** Rows copied per table. */
  readonly rows: Readonly<Record<string, number>>;
}

export async function copySqliteToPostgres(sqlite: Database, pool: pg.Pool): Promise<CopyReport> {
  refuseUnmigratedSource(sqlite);
  // One read transaction: every table is read from the same snapshot of the SQLite file.
  sqlite.exec('BEGIN');
  try {
    return await inTransaction(pool, async (session) => {
      await refuseNonEmptyTarget(session);
      await session.query('ALTER TABLE opt_outs DISABLE TRIGGER USER');
      const rows: Record<string, number> = {};
      for (const table of TABLES) rows[table] = await copyTable(sqlite, session, table);
      await session.query('ALTER TABLE opt_outs ENABLE TRIGGER USER');
      await moveIdentitiesPastCopiedIds(session);
      return { rows };
    });
  } finally {
    sqlite.exec('COMMIT');
  }
}

function refuseUnmigratedSource(sqlite: Database): void {
  const latest = readMigrations().at(-1)?.version ?? 0;
  const applied = (sqlite.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
  if (applied !== latest) {
    throw new CopyError(`the SQLite database is at migration ${applied}, not ${latest}: start the service on it once, then copy`);
  }
}

async function refuseNonEmptyTarget(session: Session): Promise<void> {
  for (const table of TABLES) {
    const { rows } = await session.query(`SELECT 1 FROM ${table} LIMIT 1`);
    if (rows.length > 0) throw new CopyError(`the PostgreSQL database is not empty (${table} has rows): copy into a new database`);
  }
}

interface ColumnType { name: string; type: string }

/** The columns both schemas have (PostgreSQL's own additions, leases and insertion order, fill themselves). */
async function sharedColumns(sqlite: Database, session: Session, table: string): Promise<ColumnType[]> {
  const inSqlite = new Set((sqlite.prepare('SELECT name FROM pragma_table_info(?)').all(table) as { name: string }[]).map((c) => c.name));
  const { rows } = await session.query<{ name: string; type: string; generated: string }>(
    `SELECT column_name AS name, data_type AS type, is_identity AS generated FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = $1 AND is_generated = 'NEVER'
       AND NOT (is_identity = 'YES' AND identity_generation = 'ALWAYS') ORDER BY ordinal_position`,
    [table],
  );
  return rows.filter((column) => inSqlite.has(column.name));
}

async function copyTable(sqlite: Database, session: Session, table: string): Promise<number> {
  const columns = await sharedColumns(sqlite, session, table);
  const names = columns.map((c) => c.name).join(', ');
  // rowid order: conversations' insertion order (PostgreSQL's seq) follows SQLite's.
  const select = sqlite.prepare(`SELECT ${names} FROM ${table} ORDER BY rowid`);
  const insert = `INSERT INTO ${table} (${names}) SELECT ${names} FROM json_populate_recordset(NULL::${table}, $1::json)`;
  // json, not jsonb, so a json column (the snapshot) gets its nested text as SQLite held it, keys in order.
  let batch: Record<string, unknown>[] = [];
  let copied = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    await session.query(insert, [JSON.stringify(batch)]);
    copied += batch.length;
    batch = [];
  };
  for (const row of select.iterate() as Iterable<Record<string, unknown>>) {
    batch.push(toPostgres(row, columns));
    if (batch.length === BATCH) await flush();
  }
  await flush();
  return copied;
}

/** SQLite's 0/1 flags become booleans and its JSON text nested JSON; the rest reads as it is. */
function toPostgres(row: Record<string, unknown>, columns: readonly ColumnType[]): Record<string, unknown> {
  const converted: Record<string, unknown> = {};
  for (const { name, type } of columns) {
    const value = row[name];
    if (value === null || value === undefined) converted[name] = null;
    else if (type === 'boolean') converted[name] = value === 1;
    else if (type === 'jsonb' || type === 'json') converted[name] = JSON.parse(String(value));
    else converted[name] = value;
  }
  return converted;
}

/** New rows must not take a copied id: each identity continues after the largest id copied. */
async function moveIdentitiesPastCopiedIds(session: Session): Promise<void> {
  const { rows } = await session.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
     WHERE table_schema = current_schema() AND is_identity = 'YES' AND identity_generation = 'BY DEFAULT'`,
  );
  for (const { table_name: table, column_name: column } of rows) {
    await session.query(
      `SELECT setval(pg_get_serial_sequence($1, $2), GREATEST((SELECT MAX(${column}) FROM ${table}), 1), (SELECT MAX(${column}) FROM ${table}) IS NOT NULL)`,
      [table, column],
    );
  }
}
