import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { applyMigrations, MigrationError, openDatabase, readMigrations, SqliteStore, type Migration } from '../../src/adapters/storage/index.js';

const NOW = new Date('2026-03-02T15:00:00Z');
const one: Migration = { version: 1, name: 'one', sql: 'CREATE TABLE a (x INTEGER) STRICT;', checksum: 'c1' };
const two: Migration = { version: 2, name: 'two', sql: 'CREATE TABLE b (y INTEGER) STRICT;', checksum: 'c2' };

function tables(db: Database.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
}

describe('migrations', () => {
  it('when the project migrations are applied to a new database, then every table exists', () => {
    const db = openDatabase(':memory:', { now: NOW });
    expect(tables(db)).toEqual([
      'conversation_answered', 'conversation_answers', 'conversation_targets', 'conversations', 'inbound_messages', 'opt_outs', 'outbox', 'project_surveys', 'redcap_triggers',
      'scheduled_invitations', 'schema_migrations', 'segment_usage', 'simulator_messages', 'survey_versions', 'timers', 'transcript',
    ]);
  });

  it.each([
    [[one], [one, two], [2]],
    [[one, two], [one, two], []],
    [[], [one, two], [1, 2]],
  ])('when %j were applied and %j exist, then %j are applied now', (before, files, applied) => {
    const db = new Database(':memory:');
    applyMigrations(db, before, NOW);
    expect(applyMigrations(db, files, NOW)).toEqual(applied);
  });

  it.each([
    ['its file changed', [{ ...one, checksum: 'edited' }, two], /changed after it was applied/],
    ['its file is gone', [two], /file is missing/],
  ])('when an applied migration %s, then start-up refuses', (_case, files, message) => {
    const db = new Database(':memory:');
    applyMigrations(db, [one, two], NOW);
    expect(() => applyMigrations(db, files, NOW)).toThrow(MigrationError);
    expect(() => applyMigrations(db, files, NOW)).toThrow(message);
  });

  it('when a migration fails half-way, then nothing of it stays and it is not recorded', () => {
    const db = new Database(':memory:');
    const broken: Migration = { version: 3, name: 'broken', sql: 'CREATE TABLE c (z INTEGER); CREATE TABLE c (z INTEGER);', checksum: 'c3' };
    expect(() => applyMigrations(db, [one, broken], NOW)).toThrow();
    expect(tables(db)).toEqual(['a', 'schema_migrations']);
  });

  it('when the project migrations are read, then PostgreSQL\'s (migrations/postgres/) are not among them', () => {
    const read = readMigrations();
    expect(read.map((m) => m.version)).toEqual(Array.from({ length: read.length }, (_, i) => i + 1));
    expect(read.some((m) => /CREATE FUNCTION|jsonb/.test(m.sql))).toBe(false);
  });

  it('when migration files are read from a folder, then they come in number order with checksums', () => {
    const dir = mkdtempSync(join(tmpdir(), 'migrations-'));
    writeFileSync(join(dir, '0002_second.sql'), 'SELECT 2;');
    writeFileSync(join(dir, '0001_first.sql'), 'SELECT 1;');
    writeFileSync(join(dir, 'notes.txt'), 'ignored');
    const read = readMigrations(dir);
    expect(read.map((m) => [m.version, m.name])).toEqual([[1, 'first'], [2, 'second']]);
    expect(read[0]?.checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it('when a file database is opened, then it uses WAL and FULL synchronous by default', () => {
    const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'db-')), 'test.db'), { now: NOW });
    expect([db.pragma('journal_mode', { simple: true }), db.pragma('synchronous', { simple: true }), db.pragma('foreign_keys', { simple: true })])
      .toEqual(['wal', 2, 1]);
  });

  it('when a file database is opened in a folder that does not exist yet, then the folder is created (serve on a fresh clone)', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'db-')), 'data', 'nested', 'redcap-sms.db');
    const db = openDatabase(path, { now: NOW });
    expect([existsSync(path), db.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get()]).toEqual([true, { n: readMigrations().length }]);
  });

  it('when a database with transcripts takes migration 0010, then every conversation reads back exactly its own entries in order', async () => {
    const db = new Database(':memory:');
    const files = readMigrations();
    applyMigrations(db, files.filter((m) => m.version < 10), NOW);
    db.prepare(`INSERT INTO survey_versions (id, definition, created_at) VALUES ('s', '{}', ?)`).run(NOW.toISOString());
    for (const id of ['c1', 'c2']) {
      db.prepare(`INSERT INTO conversations (id, project, phone, record_id, instrument, survey_version, status, open, active,
        snapshot, snapshot_format, machine_version, revision, created_at, updated_at)
        VALUES (?, 'p', ?, '1', 'daily', 's', 'asking', 1, 1, '{}', 1, 1, 0, ?, ?)`).run(id, `+1555555010${id.at(-1)}`, NOW.toISOString(), NOW.toISOString());
    }
    const insert = db.prepare(`INSERT INTO transcript (conversation_id, project, direction, kind, body, at) VALUES (?, 'p', 'in', 'text', ?, ?)`);
    [['c1', 'a1'], ['c2', 'b1'], [null, 'phone'], ['c1', 'a2'], ['c2', 'b2']].forEach(([id, body]) => insert.run(id ?? null, body, NOW.toISOString()));
    applyMigrations(db, files, NOW);
    const store = new SqliteStore(db);
    await store.appendTranscript({ conversationId: 'c1', project: 'p', direction: 'out', kind: 'question', body: 'a3', at: NOW.toISOString() });
    expect((await store.transcript('c1')).map((row) => row.body)).toEqual(['a1', 'a2', 'a3']);
    expect((await store.transcript('c2')).map((row) => row.body)).toEqual(['b1', 'b2']);
  });

  it('when a database with transcripts takes migration 0012, then exactly the conversations a participant texted in count as replied', () => {
    const db = new Database(':memory:');
    const files = readMigrations();
    applyMigrations(db, files.filter((m) => m.version < 12), NOW);
    db.prepare(`INSERT INTO survey_versions (id, definition, created_at) VALUES ('s', '{}', ?)`).run(NOW.toISOString());
    for (const id of ['c1', 'c2', 'c3']) {
      db.prepare(`INSERT INTO conversations (id, project, phone, record_id, instrument, survey_version, status, open, active,
        snapshot, snapshot_format, machine_version, revision, created_at, updated_at)
        VALUES (?, 'p', ?, '1', 'daily', 's', 'asking', 1, 1, '{}', 1, 1, 0, ?, ?)`).run(id, `+1555555010${id.at(-1)}`, NOW.toISOString(), NOW.toISOString());
    }
    const insert = db.prepare(`INSERT INTO transcript (conversation_id, project, direction, kind, body, at) VALUES (?, 'p', ?, 'text', 'x', ?)`);
    [['c1', 'out'], ['c1', 'in'], ['c2', 'out'], [null, 'in']].forEach(([id, direction]) => insert.run(id ?? null, direction, NOW.toISOString()));
    applyMigrations(db, files, NOW);
    expect(db.prepare('SELECT id, replied FROM conversations ORDER BY id').all()).toEqual([
      { id: 'c1', replied: 1 }, { id: 'c2', replied: 0 }, { id: 'c3', replied: 0 },
    ]);
  });
});
