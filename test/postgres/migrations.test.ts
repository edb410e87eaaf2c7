import type Database from 'better-sqlite3';
import type pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { openPool } from '../../src/adapters/postgres/connection.js';
import { applyPostgresMigrations, readPostgresMigrations } from '../../src/adapters/postgres/migrations.js';
import { MigrationError, type Migration } from '../../src/adapters/storage/migrations.js';
import { openDatabase } from '../../src/adapters/storage/open-database.js';
import { onServer } from '../postgres-server/databases.js';
import { freshDatabase } from './fresh-database.js';
import { PostgresConversationStore } from '../../src/adapters/postgres/conversation-store.js';
import { MACHINE_VERSION, SNAPSHOT_FORMAT } from '../../src/conversation/index.js';
import { START } from '../conversation/demo-survey.js';
import { next, steppedConversation, survey } from '../storage/answered-conversation.js';

const NOW = new Date('2026-03-02T15:00:00Z');
const server = freshDatabase();
const pools: pg.Pool[] = [];

let schemas = 0;

/** Each test migrates a schema of its own, so the tests of this file do not see each other's tables. */
async function emptySchema(): Promise<string> {
  const schema = `s${++schemas}`;
  await onServer(server.url(), `CREATE SCHEMA ${schema}`);
  return schema;
}

/** A pool of one instance, its tables in `schema`. */
function poolIn(schema: string): pg.Pool {
  const url = new URL(server.url());
  url.searchParams.set('options', `-c search_path=${schema}`);
  const pool = openPool(url.toString());
  pools.push(pool);
  return pool;
}

const emptyDatabase = async (): Promise<pg.Pool> => poolIn(await emptySchema());

afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.end()));
});

async function columnsOf(pool: pg.Pool): Promise<Map<string, string[]>> {
  const { rows } = await pool.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()
     ORDER BY table_name, ordinal_position`,
  );
  return group(rows.map((r) => [r.table_name, r.column_name]));
}

function sqliteColumns(db: Database.Database): Map<string, string[]> {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
  return group(tables.flatMap(({ name }) =>
    (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(name) as { name: string }[]).map((c): [string, string] => [name, c.name])));
}

function group(pairs: [string, string][]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const [table, column] of pairs) map.set(table, [...(map.get(table) ?? []), column].sort());
  return new Map([...map].sort(([a], [b]) => a.localeCompare(b)));
}

const VERSIONS = readPostgresMigrations().map((migration) => migration.version);

describe('PostgreSQL migrations', () => {
  it('when applied to an empty database, then every SQLite table, column and index exists, plus the claim leases, the insertion order, the shared sender rates and the id-prefix index', async () => {
    const pool = await emptyDatabase();
    expect(VERSIONS).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await applyPostgresMigrations(pool, readPostgresMigrations(), NOW)).toEqual(VERSIONS);

    const sqlite = openDatabase(':memory:', { now: NOW });
    const expected = sqliteColumns(sqlite);
    const leased = ['outbox', 'timers', 'scheduled_invitations', 'redcap_triggers'];
    for (const table of leased) expected.set(table, [...(expected.get(table) ?? []), 'lease_until'].sort());
    expected.set('conversations', [...(expected.get('conversations') ?? []), 'seq'].sort());
    expected.set('sender_pace', ['sender', 'tokens', 'updated_at']);
    expected.set('conversation_answers', [...(expected.get('conversation_answers') ?? []), 'seq'].sort());
    expect(await columnsOf(pool)).toEqual(expected);

    const sqliteIndexes = (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").all() as { name: string }[])
      .map((r) => r.name).sort();
    const { rows } = await pool.query<{ indexname: string }>(
      `SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND indexname NOT LIKE '%pkey' AND indexname NOT LIKE '%key'`,
    );
    // SQLite compares text byte by byte, so its unique id index serves a prefix; PostgreSQL needs one of its own (0006).
    expect(rows.map((r) => r.indexname).sort()).toEqual([...sqliteIndexes, 'inbound_messages_by_id_prefix'].sort());
  });

  it('when a conversation was stored with its answers in the snapshot (before migration 5), then after it the conversation reads the same and carries on as it would have', async () => {
    const old = steppedConversation(['2', '7', 'back', '8']).at(-1)!.snapshot;
    const pool = await emptyDatabase();
    const files = readPostgresMigrations();
    await applyPostgresMigrations(pool, files.filter((m) => m.version < 5), NOW);
    await pool.query('INSERT INTO survey_versions (id, definition, created_at) VALUES ($1, $2::jsonb, $3)', [survey.id, JSON.stringify(survey), NOW]);
    await pool.query(
      `INSERT INTO conversations (id, project, phone, record_id, instrument, survey_version, status, open, active, snapshot,
         snapshot_format, machine_version, revision, created_at, updated_at)
       VALUES ('c1', 'p', $1, '1', 'daily', $2, 'asking', true, true, $3::json, $4, $5, 3, $6, $6)`,
      [START.phone, survey.id, JSON.stringify(old), SNAPSHOT_FORMAT, MACHINE_VERSION, NOW],
    );

    expect(await applyPostgresMigrations(pool, files, NOW)).toContain(5);
    const { rows } = await pool.query<{ text: string }>("SELECT snapshot::text AS text FROM conversations WHERE id = 'c1'");
    expect(JSON.stringify(old)).toContain('"sleep_hours":"8"');
    expect(rows[0]!.text).not.toContain('"sleep_hours"');
    const store = new PostgresConversationStore(pool);
    expect(JSON.stringify((await store.conversation('c1'))?.snapshot)).toBe(JSON.stringify(old));
    const carriedOn = await store.transaction(async (tx) => {
      const row = (await tx.conversation('c1'))!;
      const result = next(row.snapshot, '99');
      await tx.updateConversation({ ...row, snapshot: result.snapshot }, row.revision, row, result.changes);
      return result;
    });
    expect(carriedOn).toEqual(next(old, '99'));
    expect(JSON.stringify((await store.conversation('c1'))?.snapshot)).toBe(JSON.stringify(carriedOn.snapshot));
  });

  it('when applied twice, then the second run applies nothing and changes nothing', async () => {
    const pool = await emptyDatabase();
    await applyPostgresMigrations(pool, readPostgresMigrations(), NOW);
    const before = await columnsOf(pool);
    expect(await applyPostgresMigrations(pool, readPostgresMigrations(), NOW)).toEqual([]);
    expect(await columnsOf(pool)).toEqual(before);
  });

  it.each([
    ['its file changed', (m: Migration[]) => m.map((x) => ({ ...x, checksum: 'edited' })), /changed after it was applied/],
    ['its file is gone', () => [], /file is missing/],
  ])('when an applied migration %s, then start-up refuses', async (_case, edit, message) => {
    const pool = await emptyDatabase();
    const files = readPostgresMigrations();
    await applyPostgresMigrations(pool, files, NOW);
    await expect(applyPostgresMigrations(pool, edit(files), NOW)).rejects.toThrow(MigrationError);
    await expect(applyPostgresMigrations(pool, edit(files), NOW)).rejects.toThrow(message);
  });

  it('when a migration fails half-way, then nothing of it stays and it is not recorded', async () => {
    const pool = await emptyDatabase();
    const one: Migration = { version: 1, name: 'one', sql: 'CREATE TABLE a (x integer)', checksum: 'c1' };
    const broken: Migration = { version: 2, name: 'broken', sql: 'CREATE TABLE b (y integer); CREATE TABLE b (y integer)', checksum: 'c2' };
    await expect(applyPostgresMigrations(pool, [one, broken], NOW)).rejects.toThrow(/migration 2 \(broken\) failed/);
    expect([...(await columnsOf(pool)).keys()]).toEqual(['a', 'schema_migrations']);
    const { rows } = await pool.query('SELECT version FROM schema_migrations');
    expect(rows).toEqual([{ version: 1 }]);
  });

  it('when four instances start together, then the migrations are applied once, by one of them', async () => {
    const schema = await emptySchema();
    const instances = [1, 2, 3, 4].map(() => poolIn(schema));
    const files = readPostgresMigrations();
    const results = await Promise.all(instances.map((pool) => applyPostgresMigrations(pool, files, NOW)));
    expect(results.flat()).toEqual(VERSIONS);
    const { rows } = await poolIn(schema).query('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows).toEqual(VERSIONS.map((version) => ({ version })));
  });
});
