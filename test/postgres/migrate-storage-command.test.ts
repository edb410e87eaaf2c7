import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { freshSchemas } from './fresh-storage.js';
import { seededSqlite } from './study-seed.js';

/** `redcap-sms migrate-storage`: DATABASE_PATH's study into DATABASE_URL's empty database. */
const schema = freshSchemas();

async function studyFile(): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'migrate-')), 'study.db');
  const memory = await seededSqlite();
  await memory.backup(path);
  memory.close();
  return path;
}

/** The schema's URL with a password the server (trust) ignores, to see that it is never printed. */
async function target(): Promise<string> {
  const url = new URL(await schema());
  url.password = 'Sup3r-s3cret';
  return url.toString();
}

async function run(env: Record<string, string>): Promise<{ exit: number; out: string; err: string }> {
  const output = { out: '', err: '' };
  const io = { out: (t: string) => void (output.out += t), err: (t: string) => void (output.err += t), env, cwd: process.cwd() };
  const exit = await runCli(['migrate-storage'], io);
  return { exit, ...output };
}

describe('redcap-sms migrate-storage', () => {
  it('when DATABASE_PATH holds a study and DATABASE_URL an empty database, then it is copied, counted and the password never shown', async () => {
    const [path, url] = [await studyFile(), await target()];
    const result = await run({ DATABASE_PATH: path, DATABASE_URL: url });
    expect(result).toMatchObject({ exit: 0, err: '' });
    expect(result.out).toMatch(/^Copied .*study\.db to postgres:\/\/postgres:\*\*\*@.*: survey_versions 1, conversations 4, .*outbox 7, .*transcript 3.*\.\n$/);
    expect(result.out).not.toContain('Sup3r-s3cret');
    const pool = new pg.Pool({ connectionString: url });
    const copied = await pool.query<{ n: string }>('SELECT COUNT(*) AS n FROM conversations');
    await pool.end();
    const source = new Database(path, { readonly: true });
    expect(Number(copied.rows[0]?.n)).toBe((source.prepare('SELECT COUNT(*) AS n FROM conversations').get() as { n: number }).n);
    source.close();
  });

  it('when it is run again on the same database, then it refuses and copies nothing', async () => {
    const [path, url] = [await studyFile(), await target()];
    await run({ DATABASE_PATH: path, DATABASE_URL: url });
    expect(await run({ DATABASE_PATH: path, DATABASE_URL: url })).toMatchObject({
      exit: 1, err: expect.stringMatching(/^error: the PostgreSQL database is not empty .*; nothing was copied\n$/),
    });
  });

  it.each([
    ['DATABASE_URL is not set', async () => ({ DATABASE_PATH: await studyFile() }), /^error: DATABASE_URL is not set/, 2],
    ['DATABASE_URL is not PostgreSQL', async () => ({ DATABASE_PATH: await studyFile(), DATABASE_URL: 'mysql://u:Sup3r-s3cret@db/x' }), /^error: DATABASE_URL must be a postgres/, 2],
    ['there is no SQLite database', async () => ({ DATABASE_PATH: '/nonexistent/study.db', DATABASE_URL: await target() }), /^error: there is no database at/, 2],
    ['the server cannot be reached', async () => ({ DATABASE_PATH: await studyFile(), DATABASE_URL: 'postgres://u:Sup3r-s3cret@127.0.0.1:1/x' }), /^error: cannot connect to postgres:\/\/u:\*\*\*@127\.0\.0\.1:1\/x: .*nothing was copied/, 1],
  ])('when %s, then it says so, exits non-zero and shows no password', async (_case, env, message, exit) => {
    const result = await run(await env());
    expect(result).toMatchObject({ exit, out: '', err: expect.stringMatching(message) });
    expect(result.err).not.toContain('Sup3r-s3cret');
  });
});
