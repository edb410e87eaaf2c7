/**
 * The real service as the inbound benchmarks run it (`redcap-sms serve`'s startService): on a temp SQLite
 * file at synchronous=FULL with the engine in its own thread, or on PostgreSQL at `databaseUrl` with the
 * engine in the HTTP thread (decision 0054), `participants` invited beforehand to the demo survey or to the
 * generated long instrument, with as many more stored conversations as asked (SQLite only), copied in
 * bulk. inbound-server.ts runs it in a child process; the PostgreSQL suite runs it in its own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import pg from 'pg';
import { createLogger } from '../src/adapters/logging/logger.js';
import { openEngineStorage } from '../src/composition/engine-storage.js';
import { composeServiceOn, type AnyService } from '../src/composition/service.js';
import { defaultThreading, startService, type RunningService } from '../src/composition/start-service.js';
import { heapAfterCollection } from '../src/composition/engine-thread/gc-tuning.js';
import { loadConfig } from '../src/config/env.js';
import { loadProjects } from '../src/config/projects.js';
import { invite } from '../src/use-cases/start-conversation.js';
import { BENCH, participantPhone } from './inbound-load.js';
import { LONG_INSTRUMENT } from './long-survey.js';
import { seedConversations } from './stored-conversations.js';

/** Which survey the service's participants answer: the demo's daily one, or the generated long instrument. */
export type BenchSurvey = 'short' | 'long';

export interface ServerStats {
  /** The service's event-loop delay over the run, ms: a long synchronous stretch shows here first. */
  loopDelayP99: number;
  loopDelayMax: number;
  /** Time from the request's arrival to its response, measured inside the service, ms. */
  handlingP50: number;
  handlingP99: number;
  inbound: number;
  texts: number;
  /** REDCap writes not yet imported (the write-back's backlog; on PostgreSQL every instance's). */
  pendingWrites: number;
  /** Texts not yet handed to the SMS provider (the dispatcher's backlog; on PostgreSQL every instance's). */
  pendingTexts: number;
  openConversations: number;
  /** Only when asked for (it costs a full collection in each thread): the service's memory, in bytes. */
  memory?: MemoryUse;
}

/**
 * A service process's memory: the resident set of the whole process (both threads, SQLite's page cache),
 * and the V8 heap used by each thread. The HTTP thread's is read after a forced full collection (the
 * service runs with --expose-gc); the engine thread's isolate cannot be collected from outside, so its
 * heap is the smallest of a few readings over a second, after the thread's own collections.
 */
export interface MemoryUse {
  rss: number;
  httpHeapUsed: number;
  /** After a full collection in the engine thread; absent when the engine runs in the HTTP thread (PostgreSQL). */
  engineHeapUsed: number | undefined;
}

export interface BenchServiceOptions {
  redcapUrl: string;
  twilioBaseUrl: string;
  survey: BenchSurvey;
  /** Invited before the service starts; a second instance on the same database invites none. */
  participants: number;
  /** Conversations stored in all, the participants' included; the others are copies made by bulk insert. */
  stored: number;
  /** PostgreSQL's URL; without it, a SQLite file of its own. */
  databaseUrl?: string | undefined;
  /** `serve`'s own (`info`, the default), or `silent` where the service runs inside a test. */
  logLevel?: 'info' | 'silent';
}

export interface BenchService {
  readonly port: number;
  stats(memory?: boolean): Promise<ServerStats>;
  /** No graceful drain: the REDCap write-back backlog would keep the run going long after the measurement. */
  stop(): Promise<void>;
}

export async function startBenchService(options: BenchServiceOptions): Promise<BenchService> {
  if (options.stored > options.participants && options.databaseUrl !== undefined) {
    throw new Error('stored conversations beyond the participants are copied on SQLite only');
  }
  const dir = mkdtempSync(join(tmpdir(), 'redcap-sms-bench-'));
  const env = {
    DATABASE_PATH: join(dir, 'bench.db'), ...(options.databaseUrl === undefined ? {} : { DATABASE_URL: options.databaseUrl }),
    PUBLIC_URL: BENCH.publicUrl, ADMIN_TOKEN: 'bench-admin-token-0123456789',
    REDCAP_API_URL: options.redcapUrl, REDCAP_API_TOKEN: options.survey === 'long' ? BENCH.longRedcapToken : BENCH.redcapToken,
    TWILIO_ACCOUNT_SID: BENCH.accountSid, TWILIO_AUTH_TOKEN: BENCH.authToken, TWILIO_FROM_NUMBER: BENCH.ourNumber,
    TWILIO_API_BASE_URL: options.twilioBaseUrl, PHONE_FIELD: 'phone', TIMEZONE: 'America/New_York', SQLITE_SYNCHRONOUS: 'FULL',
    LOG_LEVEL: options.logLevel ?? 'info', PORT: '0',
    // The highest rate a sender may have, so that at the paced 1,000 msg/s every reply can go out as it is
    // queued: at the default 1/s (a long code's) the handoff to the sender would measure the queue (decision 0071).
    TWILIO_SEND_RATE: String(BENCH_SEND_RATE),
  };
  const config = loadConfig(env);
  const projects = loadProjects(config, env);
  const setup = composeServiceOn(await openEngineStorage(config, new Date()), config, projects, { logger: createLogger({ level: 'silent' }) });
  await inviteAll(setup, options.participants, options.survey === 'long' ? LONG_INSTRUMENT : BENCH.instrument);
  if (options.stored > options.participants) storeCopies(config.databasePath, options.stored - options.participants);
  // Exactly what `redcap-sms serve` runs: the engine in its own thread on SQLite, in this one on PostgreSQL;
  // production log level (the child's stdout, which the benchmark discards).
  const running = await startService(config, projects, defaultThreading(config));
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  const handling = createHistogram();
  running.server.on('request', (_req, res: ServerResponse) => {
    const arrived = process.hrtime.bigint();
    res.once('finish', () => handling.record(Number(process.hrtime.bigint() - arrived) || 1));
  });
  const counts = config.databaseUrl === undefined ? sqliteCounts(config.databasePath) : postgresCounts(config.databaseUrl);
  return {
    port: (running.server.address() as AddressInfo).port,
    stats: async (memory = false) => ({
      ...(memory ? { memory: await memoryUse(running) } : {}),
      handlingP50: Math.round(handling.percentile(50) / 1e6),
      handlingP99: Math.round(handling.percentile(99) / 1e6),
      loopDelayP99: Math.round(loopDelay.percentile(99) / 1e6),
      loopDelayMax: Math.round(loopDelay.max / 1e6),
      ...(await counts.read()),
    }),
    async stop() {
      running.server.closeAllConnections();
      running.server.close();
      await counts.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Texts per second the bench services' sender may send: the most a sender may be configured for, the paced load's rate. */
export const BENCH_SEND_RATE = 1_000;

/** The process's RSS, and each thread's V8 heap in use after a full collection (the service runs with `--expose-gc`). */
async function memoryUse(running: RunningService): Promise<MemoryUse> {
  const engineHeapUsed = await running.engineHeapAfterCollection();
  const httpHeapUsed = heapAfterCollection() ?? process.memoryUsage().heapUsed;
  return { rss: process.memoryUsage().rss, httpHeapUsed, engineHeapUsed };
}

/** Set-up, before the service starts: the survey pulled and every participant invited in one transaction. */
async function inviteAll(setup: AnyService, participants: number, instrument: string): Promise<void> {
  try {
    await setup.redcap.pullAll();
    const survey = await setup.redcap.survey('default');
    await setup.conversations.store.transaction(async (tx) => {
      for (let i = 0; i < participants; i += 1) {
        const recordId = String(i + 1);
        await invite(setup.conversations, {
          project: 'default', survey, instrument, recordId, phone: participantPhone(i), record: { record_id: recordId },
        }, tx);
      }
    });
  } finally {
    await setup.close();
  }
}

/** More stored conversations: copies of the first participant's, written in bulk before the service starts. */
function storeCopies(databasePath: string, count: number): void {
  const db = new Database(databasePath);
  try {
    const first = db.prepare('SELECT id FROM conversations ORDER BY rowid LIMIT 1').get() as { id: string } | undefined;
    if (first === undefined) throw new Error('no participant was invited, so there is no conversation to copy');
    seedConversations(db, first.id, count);
  } finally {
    db.close();
  }
}

type Counts = Pick<ServerStats, 'inbound' | 'texts' | 'pendingWrites' | 'pendingTexts' | 'openConversations'>;

/** The same counts on either storage: `open` is an integer on SQLite and a boolean on PostgreSQL, and both read `WHERE open`. */
const COUNTS: Record<keyof Counts, string> = {
  inbound: 'SELECT COUNT(*) AS n FROM inbound_messages',
  texts: `SELECT COUNT(*) AS n FROM outbox WHERE channel = 'sms'`,
  pendingWrites: `SELECT COUNT(*) AS n FROM outbox WHERE channel = 'redcap' AND status = 'pending'`,
  pendingTexts: `SELECT COUNT(*) AS n FROM outbox WHERE channel = 'sms' AND status = 'pending'`,
  openConversations: 'SELECT COUNT(*) AS n FROM conversations WHERE open',
};

function sqliteCounts(databasePath: string) {
  return {
    read: async (): Promise<Counts> => {
      const db = new Database(databasePath, { readonly: true });
      try {
        return mapCounts((sql) => Number((db.prepare(sql).get() as { n: number }).n));
      } finally {
        db.close();
      }
    },
    close: async () => undefined,
  };
}

function postgresCounts(databaseUrl: string) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  return {
    read: async (): Promise<Counts> => {
      const counted = await Promise.all(Object.values(COUNTS).map((sql) => pool.query<{ n: string }>(sql)));
      const byKey = new Map(Object.values(COUNTS).map((sql, i) => [sql, Number(counted[i]!.rows[0]?.n)]));
      return mapCounts((sql) => byKey.get(sql)!);
    },
    close: () => pool.end(),
  };
}

function mapCounts(count: (sql: string) => number): Counts {
  return {
    inbound: count(COUNTS.inbound), texts: count(COUNTS.texts), pendingWrites: count(COUNTS.pendingWrites),
    pendingTexts: count(COUNTS.pendingTexts), openConversations: count(COUNTS.openConversations),
  };
}
