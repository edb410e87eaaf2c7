/**
 * `redcap-sms backup` and `redcap-sms restore`, driven through `runCli` in this process against real
 * database files in a fresh folder: the database the service uses (DATABASE_PATH), written meanwhile by
 * connections opened as the engine opens its own.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, test } from 'vitest';
import { applyMigrations, openDatabase, readMigrations } from '../../src/adapters/storage/index.js';
import type { CliIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { composeService } from '../../src/composition/service.js';
import { loadConfig } from '../../src/config/env.js';
import { loadProjects } from '../../src/config/projects.js';
import { baseEnv } from '../http/service-world.js';

const BETTER_SQLITE3 = createRequire(import.meta.url).resolve('better-sqlite3');
const NOW = new Date('2026-03-02T15:00:00Z');

let folders: string[] = [];
afterEach(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  folders = [];
});

/** A folder holding the service's database `sms.db` (DATABASE_PATH, relative to the folder) and the CLI run there. */
function world(env: Record<string, string> = { DATABASE_PATH: 'sms.db' }) {
  const dir = mkdtempSync(join(tmpdir(), 'redcap-sms-backup-'));
  folders.push(dir);
  const databasePath = join(dir, 'sms.db');
  const run = async (...argv: string[]) => {
    let out = '';
    let err = '';
    const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), env, cwd: dir };
    return { code: await runCli(argv, io), out, err };
  };
  return { dir, databasePath, run, path: (name: string) => join(dir, name) };
}

/** Stores `count` survey versions, each with its project row, one transaction each (as the engine stores them). */
function storeVersions(db: Database.Database, count: number, from = 0): void {
  const version = db.prepare(`INSERT INTO survey_versions (id, definition, created_at) VALUES (?, ?, ?)`);
  const project = db.prepare(`INSERT INTO project_surveys (project, survey_version, source, loaded_at) VALUES ('p', ?, 'load', ?)`);
  for (let i = from; i < from + count; i += 1) {
    db.transaction(() => {
      version.run(`v${i}`, JSON.stringify({ padding: 'x'.repeat(2_000) }), NOW.toISOString());
      project.run(`v${i}`, NOW.toISOString());
    })();
  }
}

/** A redcap-sms database with `count` survey versions, closed. */
function database(path: string, count = 3): void {
  const db = openDatabase(path, { now: NOW });
  storeVersions(db, count);
  db.close();
}

function versionsIn(path: string): string[] {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT id FROM survey_versions ORDER BY rowid').all() as { id: string }[]).map((row) => row.id);
  } finally {
    db.close();
  }
}

/**
 * Files the folder holds besides the ones named and the service database's own -wal and -shm (a WAL-mode
 * database read by anyone has them): temporary copies, and -wal/-shm files a command left beside a backup.
 */
function leftovers(dir: string, ...expected: string[]): string[] {
  return readdirSync(dir).filter((name) => !expected.includes(name) && !['sms.db-wal', 'sms.db-shm'].includes(name));
}

describe('redcap-sms backup', () => {
  test('when the database is backed up, then the file holds every committed row, alone (no -wal beside it), and the command says so (exit 0)', async () => {
    const w = world();
    database(w.databasePath, 3);

    const result = await w.run('backup', 'nightly.db');

    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toMatch(/^Backed up .*sms\.db to nightly\.db \(\d+\.\d MB, migrations 1–\d+\)\.\n$/);
    expect(versionsIn(w.path('nightly.db'))).toEqual(['v0', 'v1', 'v2']);
    expect(leftovers(w.dir, 'sms.db', 'nightly.db')).toEqual([]);
  });

  test('when a writer has committed rows still only in the WAL and holds an open write transaction, then the backup has the committed rows and none of the open ones', async () => {
    const w = world();
    const writer = openDatabase(w.databasePath, { now: NOW });
    writer.pragma('wal_autocheckpoint = 0');
    storeVersions(writer, 2);
    writer.exec('BEGIN IMMEDIATE');
    storeVersions(writer, 1, 2);

    const result = await w.run('backup', 'during-write.db');
    writer.exec('COMMIT');

    expect(result.code).toBe(0);
    expect(versionsIn(w.path('during-write.db'))).toEqual(['v0', 'v1']);
    expect(versionsIn(w.databasePath)).toEqual(['v0', 'v1', 'v2']);
    writer.close();
  });

  test('when another thread commits continuously, then the backup is one consistent moment (every version has its project row) and the writer is never held up', async () => {
    const w = world();
    database(w.databasePath, 2_000); // a few MB, so the copy takes a while
    const writer = new Worker(WRITER_THREAD, { eval: true, workerData: { driver: BETTER_SQLITE3, path: w.databasePath } });
    const committed = () => new Promise<number>((resolve) => writer.once('message', resolve));
    await committed(); // writing

    const result = await w.run('backup', 'busy.db');
    writer.postMessage('stop');
    const writes = await committed();
    await writer.terminate();

    expect(result.code).toBe(0);
    const backup = new Database(w.path('busy.db'), { readonly: true });
    const { versions, projects, written } = backup.prepare(`SELECT (SELECT COUNT(*) FROM survey_versions) AS versions,
      (SELECT COUNT(*) FROM project_surveys) AS projects, (SELECT COUNT(*) FROM survey_versions WHERE id LIKE 'w%') AS written`)
      .get() as { versions: number; projects: number; written: number };
    backup.close();
    expect(projects).toBe(versions);
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThanOrEqual(writes);
    expect(versionsIn(w.databasePath)).toHaveLength(2_000 + writes);
  });

  test('when the backup file exists, then it is kept (exit 2) unless --force, which replaces it', async () => {
    const w = world();
    database(w.databasePath, 1);
    writeFileSync(w.path('nightly.db'), 'yesterday');

    const refused = await w.run('backup', 'nightly.db');
    const kept = readFileSync(w.path('nightly.db'), 'utf8');
    const forced = await w.run('backup', 'nightly.db', '--force');

    expect(refused).toMatchObject({ code: 2, out: '' });
    expect(refused.err).toBe('error: nightly.db already exists (use --force to replace it)\n');
    expect(kept).toBe('yesterday');
    expect(forced.code).toBe(0);
    expect(versionsIn(w.path('nightly.db'))).toEqual(['v0']);
    expect(leftovers(w.dir, 'sms.db', 'nightly.db')).toEqual([]);
  });

  test.each([
    { case: 'there is no database yet', prepare: () => undefined, argv: ['backup', 'b.db'], code: 1, message: /^error: there is no database at .*sms\.db; no backup was written\n$/ },
    { case: 'the database is not a redcap-sms one', prepare: (w: World) => foreignDatabase(w.databasePath), argv: ['backup', 'b.db'], code: 1, message: /sms\.db is not a redcap-sms database \(it has no schema_migrations table\); no backup was written/ },
    { case: 'the folder does not exist', prepare: (w: World) => database(w.databasePath), argv: ['backup', 'missing/b.db'], code: 2, message: /^error: no such directory: missing\n$/ },
    { case: 'the file is the database itself', prepare: (w: World) => database(w.databasePath), argv: ['backup', 'sms.db'], code: 2, message: /^error: sms\.db is the database itself\n$/ },
    { case: 'no file is named', prepare: () => undefined, argv: ['backup'], code: 2, message: /missing required argument 'file'/ },
  ])('when $case, then it is refused with one line (exit $code) and no file is written', async ({ prepare, argv, code, message }) => {
    const w = world();
    prepare(w);
    const before = readdirSync(w.dir).sort();

    const result = await w.run(...argv);

    expect(result.code).toBe(code);
    expect(result.err).toMatch(message);
    expect(readdirSync(w.dir).sort()).toEqual(before);
  });

  test.each([
    ['backup', ['backup', 'b.db'], /^error: backup is for SQLite \(DATABASE_PATH\); DATABASE_URL is set, .* back it up with pg_dump \(docs\/operator-guide\.md, Backups\)\n$/],
    ['restore', ['restore', 'b.db'], /^error: restore is for SQLite \(DATABASE_PATH\); DATABASE_URL is set, .* restore it with pg_restore \(docs\/operator-guide\.md, Backups\)\n$/],
  ])('when DATABASE_URL is set, then %s says it is for SQLite and points to pg_dump/pg_restore (exit 2), touching no file', async (_command, argv, message) => {
    const w = world({ DATABASE_PATH: 'sms.db', DATABASE_URL: 'postgres://app:s3cret@db.example.org/sms' });
    database(w.databasePath);
    writeFileSync(join(w.dir, 'b.db'), 'a backup');
    const before = readdirSync(w.dir).sort();

    const result = await w.run(...argv);

    expect(result.code).toBe(2);
    expect(result.err).toMatch(message);
    expect(result.err).not.toContain('s3cret');
    expect(readdirSync(w.dir).sort()).toEqual(before);
  });

  test('when DATABASE_PATH is :memory:, then there is nothing to back up (exit 2)', async () => {
    const result = await world({ DATABASE_PATH: ':memory:' }).run('backup', 'b.db');

    expect(result).toMatchObject({ code: 2, err: 'error: DATABASE_PATH is :memory:, which has no file to back up or restore\n' });
  });
});

describe('redcap-sms restore', () => {
  test('when the service is stopped, then the database becomes the backup whole, and the service opens it', async () => {
    const w = world();
    database(w.databasePath, 2);
    await w.run('backup', 'b.db');
    const later = openDatabase(w.databasePath, { now: NOW });
    storeVersions(later, 3, 2);
    later.close();

    const result = await w.run('restore', 'b.db');

    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toMatch(/^Restored b\.db to .*sms\.db \(\d+\.\d MB, migrations 1–\d+\)\.\n$/);
    expect(versionsIn(w.databasePath)).toEqual(['v0', 'v1']);
    expect(leftovers(w.dir, 'sms.db', 'b.db')).toEqual([]);
    const reopened = openDatabase(w.databasePath, { now: NOW });
    expect(reopened.pragma('journal_mode', { simple: true })).toBe('wal');
    reopened.close();
  });

  test('when there is no database yet, then the backup becomes it', async () => {
    const w = world();
    database(w.path('b.db'), 2);

    const result = await w.run('restore', 'b.db');

    expect(result.code).toBe(0);
    expect(versionsIn(w.databasePath)).toEqual(['v0', 'v1']);
  });

  test('when the service has the database open, idle or writing, then restore refuses (exit 1) and the database is unchanged', async () => {
    const w = world();
    database(w.path('b.db'), 1);
    const env = baseEnv({ DATABASE_PATH: w.databasePath });
    const config = loadConfig(env);
    const service = composeService(config, loadProjects(config, env));
    storeVersions(service.db, 2);
    const before = versionsIn(w.databasePath);

    const idle = await w.run('restore', 'b.db');
    service.db.exec('BEGIN IMMEDIATE');
    const writing = await w.run('restore', 'b.db');
    service.db.exec('ROLLBACK');
    await service.close();

    for (const result of [idle, writing]) {
      expect(result.code).toBe(1);
      expect(result.err).toMatch(/^error: the database .*sms\.db is in use \(is the service running\? stop it first\); the database was not changed\n$/);
    }
    expect(versionsIn(w.databasePath)).toEqual(before);
    expect(leftovers(w.dir, 'sms.db', 'b.db')).toEqual([]);
  });

  test('when the service was killed before it checkpointed its WAL, then none of the old WAL reaches the restored database', async () => {
    const w = world();
    database(w.path('b.db'), 1);
    killedWriter(w.databasePath);
    expect(existsSync(`${w.databasePath}-wal`)).toBe(true);

    const result = await w.run('restore', 'b.db');

    expect(result.code).toBe(0);
    expect(versionsIn(w.databasePath)).toEqual(['v0']);
    expect(leftovers(w.dir, 'sms.db', 'b.db')).toEqual([]);
  });

  test('when a connection opened the old database during the restore, then it fails loudly instead of writing to a file no path leads to', async () => {
    const w = world();
    database(w.databasePath, 3);
    database(w.path('b.db'), 1);
    const early = new Database(w.databasePath); // opened, not yet read: it holds no lock

    const result = await w.run('restore', 'b.db');

    expect(result.code).toBe(0);
    expect(() => early.prepare('SELECT COUNT(*) FROM survey_versions').get()).toThrow(/not a database/);
    early.close();
    expect(versionsIn(w.databasePath)).toEqual(['v0']);
  });

  test('when the backup is older than this release, then it is restored and the migrations still to come are named', async () => {
    const w = world();
    const latest = readMigrations().at(-1)!.version;
    const old = new Database(w.path('old.db'));
    applyMigrations(old, readMigrations().filter((m) => m.version < latest), NOW);
    old.close();

    const result = await w.run('restore', 'old.db');

    expect(result.code).toBe(0);
    expect(result.out).toMatch(new RegExp(`The service applies migrations ${latest} when it starts\\.\\n$`));
  });

  test.each([
    { case: 'a text file', make: (path: string) => writeFileSync(path, 'not a database at all, but long enough to look like a header'), message: /b\.db is not a SQLite database/ },
    { case: 'a SQLite database of something else', make: foreignDatabase, message: /b\.db is not a redcap-sms database \(it has no schema_migrations table\)/ },
    { case: 'a redcap-sms database whose migration 3 was edited', make: (path: string) => withSql(path, `UPDATE schema_migrations SET checksum = 'edited' WHERE version = 3`), message: /b\.db does not match this release of redcap-sms: migration 3 \(redcap_sync\) changed after it was applied/ },
    { case: 'a database from a newer release', make: (path: string) => withSql(path, `INSERT INTO schema_migrations VALUES (999, 'future', 'x', '2030-01-01')`), message: /b\.db does not match this release of redcap-sms: migration 999 is applied but its file is missing/ },
    { case: 'a damaged redcap-sms database', make: damagedDatabase, message: /b\.db is damaged/ },
  ])('when the backup is $case, then it is refused before anything is replaced (exit 1)', async ({ make, message }) => {
    const w = world();
    database(w.databasePath, 2);
    make(w.path('b.db'));
    const before = readFileSync(w.databasePath);

    const result = await w.run('restore', 'b.db');

    expect(result.code).toBe(1);
    expect(result.err).toMatch(message);
    expect(result.err).toMatch(/; the database was not changed\n$/);
    expect(readFileSync(w.databasePath).equals(before)).toBe(true);
    expect(leftovers(w.dir, 'sms.db', 'b.db')).toEqual([]);
  });

  test.each([
    { case: 'the backup does not exist', argv: ['restore', 'nope.db'], message: 'error: no such file: nope.db\n' },
    { case: 'the backup is a folder', argv: ['restore', '.'], message: 'error: . is a directory\n' },
    { case: 'the backup is the database itself', argv: ['restore', 'sms.db'], message: 'error: sms.db is the database itself\n' },
  ])('when $case, then it is a usage error (exit 2) and nothing changes', async ({ argv, message }) => {
    const w = world();
    database(w.databasePath, 1);

    const result = await w.run(...argv);

    expect(result).toMatchObject({ code: 2, err: message });
    expect(versionsIn(w.databasePath)).toEqual(['v0']);
  });
});

type World = ReturnType<typeof world>;

function foreignDatabase(path: string): void {
  const db = new Database(path);
  db.exec('CREATE TABLE notes (body TEXT)');
  db.close();
}

/** A redcap-sms database changed by `sql`. */
function withSql(path: string, sql: string): void {
  database(path, 1);
  const db = new Database(path);
  db.exec(sql);
  db.close();
}

/** A redcap-sms database with one of its table pages overwritten. */
function damagedDatabase(path: string): void {
  database(path, 50);
  const db = new Database(path);
  db.pragma('journal_mode = DELETE');
  const { page } = db.prepare(`SELECT rootpage AS page FROM sqlite_master WHERE name = 'survey_versions'`).get() as { page: number };
  const size = db.pragma('page_size', { simple: true }) as number;
  db.close();
  const bytes = readFileSync(path);
  bytes.fill(0xa5, (page - 1) * size + 8, page * size);
  writeFileSync(path, bytes);
}

/** A process that writes to the database and is killed before it checkpoints, leaving its WAL behind. */
function killedWriter(path: string): void {
  database(path, 1);
  const script = `const Database = require(${JSON.stringify(BETTER_SQLITE3)});
    const db = new Database(${JSON.stringify(path)}); db.pragma('wal_autocheckpoint = 0');
    db.prepare("INSERT INTO survey_versions (id, definition, created_at) VALUES ('lost', '{}', 'x')").run();
    process.kill(process.pid, 'SIGKILL');`;
  spawnSync(process.execPath, ['-e', script]);
}

/** Commits a survey version and its project row, again and again, until told to stop; posts the count. */
const WRITER_THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { timeout: 5000 });
db.pragma('journal_mode = WAL');
const version = db.prepare("INSERT INTO survey_versions (id, definition, created_at) VALUES (?, '{}', 'x')");
const project = db.prepare("INSERT INTO project_surveys (project, survey_version, source, loaded_at) VALUES ('p', ?, 'load', 'x')");
const write = db.transaction((id) => { version.run(id); project.run(id); });
let stop = false;
let written = 0;
parentPort.on('message', () => { stop = true; });
(function loop() {
  for (let i = 0; i < 20; i += 1) write('w' + written++);
  if (written === 20) parentPort.postMessage(written);
  if (stop) { db.close(); parentPort.postMessage(written); return; }
  setImmediate(loop);
})();
`;
