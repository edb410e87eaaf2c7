import pg from 'pg';

/**
 * The PostgreSQL connection pool (DATABASE_URL). Every error that leaves this module names the database with
 * its password removed: a connection URL is a secret, and pg's own messages may quote parts of it.
 */

export class DatabaseConnectionError extends Error {}

export interface PoolOptions {
  /** Connections kept at most; each unit of work holds one from BEGIN to COMMIT. */
  max?: number;
  /** How long a unit of work waits for a free connection, or a new one for the server, in milliseconds. */
  connectionTimeoutMs?: number;
  /** A statement running longer fails (a lock held by a stuck client must not stall every webhook). */
  statementTimeoutMs?: number;
  /** The server ends a session left idle inside a transaction, so a hung client releases its locks. */
  idleInTransactionTimeoutMs?: number;
  /** Called with a redacted message when an idle connection fails (the server restarted, the network dropped). */
  onIdleError?: (message: string) => void;
}

const INT8 = 20;
const TIMESTAMPTZ = 1184;
const parseTimestamp = pg.types.getTypeParser(TIMESTAMPTZ);

/**
 * The rows speak the application's vocabulary: ids as numbers (bigint ids stay far below 2^53) and times as
 * the ISO-8601 UTC strings the clock produces (`toISOString()`), exactly as SQLite stores them.
 */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8) return Number;
    if (oid === TIMESTAMPTZ) return (value: string) => (parseTimestamp(value) as Date).toISOString();
    return pg.types.getTypeParser(oid, format);
  }) as typeof pg.types.getTypeParser,
};

export function openPool(url: string, options: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 5_000,
    idleTimeoutMillis: 30_000,
    statement_timeout: options.statementTimeoutMs ?? 30_000,
    idle_in_transaction_session_timeout: options.idleInTransactionTimeoutMs ?? 60_000,
    application_name: 'redcap-sms',
    types,
  });
  // An idle client's error would otherwise be an unhandled 'error' event and end the process.
  pool.on('error', (error) => options.onIdleError?.(redactError(error, url).message));
  return pool;
}

/** Opens the pool and checks the server answers, or fails with a redacted, specific message. */
export async function connect(url: string, options: PoolOptions = {}): Promise<pg.Pool> {
  const pool = openPool(url, options);
  try {
    await pool.query('SELECT 1');
    return pool;
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new DatabaseConnectionError(`cannot connect to ${redactUrl(url)}: ${redactError(error, url).message}`);
  }
}

/** The URL without its password (and without a `password=` parameter), fit for a log line or an error. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    for (const key of [...parsed.searchParams.keys()]) {
      if (/pass/i.test(key)) parsed.searchParams.set(key, '***');
    }
    return parsed.toString();
  } catch {
    return 'an unreadable DATABASE_URL';
  }
}

/** The error with every secret of `url` (its password, raw and decoded) blanked out of its message. */
export function redactError(error: unknown, url: string): Error {
  const message = error instanceof Error ? error.message : String(error);
  let redacted = message;
  for (const secret of secretsOf(url)) redacted = redacted.split(secret).join('***');
  return new Error(redacted);
}

function secretsOf(url: string): string[] {
  try {
    const parsed = new URL(url);
    const raw = [parsed.password, ...[...parsed.searchParams].filter(([key]) => /pass/i.test(key)).map(([, v]) => v)];
    return [...new Set(raw.flatMap((secret) => (secret === '' ? [] : [secret, safeDecode(secret)])))];
  } catch {
    return [url];
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
