import { describe, expect, it } from 'vitest';
import { connect, DatabaseConnectionError, redactUrl } from '../../src/adapters/postgres/connection.js';
import { inTransaction } from '../../src/adapters/postgres/session.js';
import { freshDatabase } from './fresh-database.js';

const server = freshDatabase();

describe('the PostgreSQL connection', () => {
  it.each([
    ['postgres://app:s3cret@db.example.org:5432/sms', 'postgres://app:***@db.example.org:5432/sms'],
    ['postgresql://app:p%40ss@db/sms?sslmode=require', 'postgresql://app:***@db/sms?sslmode=require'],
    ['postgres://db/sms?password=s3cret', 'postgres://db/sms?password=***'],
    ['postgres://app@db/sms', 'postgres://app@db/sms'],
  ])('when %s is named in a log or an error, then it reads %s', (url, redacted) => {
    expect(redactUrl(url)).toBe(redacted);
  });

  it('when the server answers, then times come back as the clock writes them and ids as numbers', async () => {
    const pool = await connect(server.url());
    try {
      const { rows } = await pool.query(`SELECT '2026-03-02T15:00:00.120Z'::timestamptz AS at, 9007199254740991::bigint AS id`);
      expect(rows).toEqual([{ at: '2026-03-02T15:00:00.120Z', id: 9007199254740991 }]);
    } finally {
      await pool.end();
    }
  });

  it.each([
    ['the database does not exist', (url: URL) => { url.pathname = '/no_such_database'; }, /does not exist/],
    ['nothing listens on the port', (url: URL) => { url.port = '1'; }, /ECONNREFUSED/],
  ])('when %s, then the error says so and never holds the password', async (_case, edit, reason) => {
    const url = new URL(server.url());
    url.password = 'Sup3r-s3cret';
    edit(url);
    const failure = await connect(url.toString(), { connectionTimeoutMs: 2_000 }).catch((error: unknown) => error as Error);
    expect(failure).toBeInstanceOf(DatabaseConnectionError);
    expect((failure as Error).message).toMatch(reason);
    expect((failure as Error).message).toContain('***');
    expect((failure as Error).message).not.toContain('Sup3r-s3cret');
  });
});

describe('when the server ends a connection that a unit of work holds', () => {
  it('then that unit fails with the reason, the process lives on, and the pool serves the next unit', async () => {
    const pool = await connect(server.url());
    const admin = await connect(server.url());
    try {
      const unit = inTransaction(pool, async (session) => {
        const { rows } = await session.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        // A database restart or an operator's pg_terminate_backend, while the unit is mid-work.
        await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
        await session.query('SELECT pg_sleep(0.05)');
      });
      await expect(unit).rejects.toThrow(/terminat|connection error/i);
      const after = await inTransaction(pool, async (session) => (await session.query<{ one: number }>('SELECT 1 AS one')).rows[0]!.one);
      expect(after).toBe(1);
    } finally {
      await pool.end();
      await admin.end();
    }
  });
});
