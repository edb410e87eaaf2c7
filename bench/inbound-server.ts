/**
 * The server side of the inbound benchmark, run in child processes so the load generator does not
 * share their event loops: the real service as `redcap-sms serve` runs it (startService on a temp SQLite
 * file with synchronous=FULL: the HTTP thread and the engine thread with its dispatcher and REDCap
 * loops; `participants` invited beforehand to the demo survey or to the generated long instrument, with
 * as many more stored conversations as asked, copied in bulk),
 * the REDCap emulator and fake Twilio API it talks to (`fakes`, another process, as REDCap and Twilio
 * are elsewhere in production), a bare express endpoint, a bare node HTTP endpoint (the service answers
 * its webhooks ahead of express, decision 0022), or the minimal durable pipeline (signature, inbound row,
 * group commit, answer). Each reports over IPC and exits on `stop`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, Server, type ServerResponse } from 'node:http';
import { createHistogram, monitorEventLoopDelay, type IntervalHistogram, type RecordableHistogram } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { createLogger } from '../src/adapters/logging/logger.js';
import { answeringFirst, sendXml } from '../src/adapters/http/plain-routes.js';
import { twilioSignedForm } from '../src/adapters/http/twilio-signature.js';
import { SqliteStore, openDatabase } from '../src/adapters/storage/index.js';
import { createGroupCommit } from '../src/adapters/storage/group-commit.js';
import { EMPTY_TWIML } from '../src/adapters/http/twilio-webhooks.js';
import { createRedcapEmulator } from '../src/demo/redcap-emulator/index.js';
import { createFakeTwilioApi } from '../test/fakes/fake-twilio-api.js';
import { invite } from '../src/use-cases/start-conversation.js';
import Database from 'better-sqlite3';
import { composeService, type Service } from '../src/composition/service.js';
import { startService } from '../src/composition/start-service.js';
import { loadConfig } from '../src/config/env.js';
import { loadProjects } from '../src/config/projects.js';
import { BENCH, participantPhone } from './inbound-load.js';
import { LONG_INSTRUMENT, LONG_QUESTIONS, longSurveyCsv } from './long-survey.js';
import { seedConversations } from './stored-conversations.js';

export type ServerMode = 'service' | 'bare' | 'node' | 'minimal' | 'fakes';
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
  /** REDCap writes not yet imported (the write-back's backlog). */
  pendingWrites: number;
  openConversations: number;
}
export type ServerMessage =
  | { type: 'ready'; port: number }
  | { type: 'stats'; stats: ServerStats }
  | { type: 'fakes'; redcapUrl: string; twilioBaseUrl: string };

const mode = process.argv[2] as ServerMode;
const participants = Number(process.argv[3] ?? '0');
const [redcapUrl, twilioBaseUrl] = process.argv.slice(4);
const surveyKind = (process.argv[6] ?? 'short') as BenchSurvey;
/** Conversations stored in all, the participants' included; the others are copies made by bulk insert. */
const stored = Number(process.argv[7] ?? '0');
const send = (message: ServerMessage) => process.send?.(message);
// A benchmark that stopped without saying `stop` (it failed, or was killed) leaves no server behind.
process.on('disconnect', () => process.exit(0));

if (mode === 'bare') {
  const app = express();
  app.post(BENCH.path, express.urlencoded({ extended: false }), (_req, res) => void res.type('text/xml').send(EMPTY_TWIML));
  listenUntilStopped(app);
} else if (mode === 'node') {
  listenUntilStopped(createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      sendXml(res, EMPTY_TWIML);
    });
  }));
} else if (mode === 'minimal') {
  runMinimalPipeline();
} else if (mode === 'fakes') {
  await runFakes();
} else {
  await runService(redcapUrl ?? '', twilioBaseUrl ?? '', surveyKind, stored);
}

function listenUntilStopped(handler: express.Express | Server): void {
  const server = handler instanceof Server ? handler : createServer(handler);
  server.listen(0, '127.0.0.1', () => send({ type: 'ready', port: (server.address() as AddressInfo).port }));
  process.on('message', (message) => {
    if (message === 'stop') server.close(() => process.exit(0));
  });
}

/**
 * The floor under the service: the same form reading and signature check, then only the inbound row stored with the same
 * group commit on the same durable SQLite (synchronous=FULL), then the empty TwiML. No conversation is
 * stepped and nothing is queued: what a durable webhook costs on this machine before any survey logic.
 */
function runMinimalPipeline(): void {
  const dir = mkdtempSync(join(tmpdir(), 'redcap-sms-bench-minimal-'));
  const store = new SqliteStore(openDatabase(join(dir, 'minimal.db'), { synchronous: 'FULL' }));
  const storeInbound = createGroupCommit(store, (tx, form: { MessageSid: string; From: string }) => tx.insertInbound({
    provider: 'twilio', providerMessageId: form.MessageSid, project: 'default', phone: form.From, receivedAt: new Date().toISOString(),
  }));
  const signature = { authToken: BENCH.authToken, publicUrl: BENCH.publicUrl, enabled: true };
  const app = answeringFirst(express(), [{
    method: 'POST', path: BENCH.path, handle: async (req, res) => {
      await storeInbound(await twilioSignedForm(req, signature) as { MessageSid: string; From: string });
      sendXml(res, EMPTY_TWIML);
    },
  }], createLogger({ level: 'silent' }));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  listenUntilStopped(app);
}

/** REDCap and Twilio stand-ins in a process of their own, as the real ones are elsewhere. */
async function runFakes(): Promise<void> {
  const redcap = await createRedcapEmulator({
    projects: [
      { token: BENCH.redcapToken, projectId: 1, dictionary: readFileSync(BENCH.dictionary, 'utf8') },
      { token: BENCH.longRedcapToken, projectId: 2, dictionary: longSurveyCsv(LONG_QUESTIONS) },
    ],
  }).listen();
  const twilioApi = await createFakeTwilioApi({ accountSid: BENCH.accountSid, authToken: BENCH.authToken }).listen();
  send({ type: 'fakes', redcapUrl: redcap.url, twilioBaseUrl: twilioApi.baseUrl });
  process.on('message', (message) => {
    if (message === 'stop') process.exit(0);
  });
}

async function runService(redcapUrl: string, twilioBaseUrl: string, survey: BenchSurvey, stored: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'redcap-sms-bench-'));
  const env = {
    DATABASE_PATH: join(dir, 'bench.db'), PUBLIC_URL: BENCH.publicUrl, ADMIN_TOKEN: 'bench-admin-token-0123456789',
    REDCAP_API_URL: redcapUrl, REDCAP_API_TOKEN: survey === 'long' ? BENCH.longRedcapToken : BENCH.redcapToken, TWILIO_ACCOUNT_SID: BENCH.accountSid,
    TWILIO_AUTH_TOKEN: BENCH.authToken, TWILIO_FROM_NUMBER: BENCH.ourNumber, TWILIO_API_BASE_URL: twilioBaseUrl,
    PHONE_FIELD: 'phone', TIMEZONE: 'America/New_York', SQLITE_SYNCHRONOUS: 'FULL', LOG_LEVEL: 'info', PORT: '0',
  };
  const config = loadConfig(env);
  const projects = loadProjects(config, env);
  await inviteAll(composeService(config, projects, { logger: createLogger({ level: 'silent' }) }), survey === 'long' ? LONG_INSTRUMENT : BENCH.instrument);
  if (stored > participants) storeCopies(config.databasePath, stored - participants);
  // Exactly what `redcap-sms serve` runs: the engine in its own thread, production log level (this
  // child's stdout, which the benchmark discards).
  const running = await startService(config, projects, 'engine-thread');
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  const handling = createHistogram();
  running.server.on('request', (_req, res: ServerResponse) => {
    const arrived = process.hrtime.bigint();
    res.once('finish', () => handling.record(Number(process.hrtime.bigint() - arrived) || 1));
  });
  send({ type: 'ready', port: (running.server.address() as AddressInfo).port });
  process.on('message', (message) => {
    if (message === 'stats') send({ type: 'stats', stats: stats(config.databasePath, loopDelay, handling) });
    if (message !== 'stop') return;
    // No graceful drain: the REDCap write-back backlog would keep the run going long after the measurement.
    running.server.closeAllConnections();
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
}

/** Set-up, before the service starts: the survey pulled and every participant invited in one transaction. */
async function inviteAll(setup: Service, instrument: string): Promise<void> {
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
  await setup.close();
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

function stats(databasePath: string, loopDelay: IntervalHistogram, handling: RecordableHistogram): ServerStats {
  const db = new Database(databasePath, { readonly: true });
  const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  try {
    return {
      handlingP50: Math.round(handling.percentile(50) / 1e6),
      handlingP99: Math.round(handling.percentile(99) / 1e6),
      loopDelayP99: Math.round(loopDelay.percentile(99) / 1e6),
      loopDelayMax: Math.round(loopDelay.max / 1e6),
      inbound: count('SELECT COUNT(*) AS n FROM inbound_messages'),
      texts: count(`SELECT COUNT(*) AS n FROM outbox WHERE channel = 'sms'`),
      pendingWrites: count(`SELECT COUNT(*) AS n FROM outbox WHERE channel = 'redcap' AND status = 'pending'`),
      openConversations: count('SELECT COUNT(*) AS n FROM conversations WHERE open = 1'),
    };
  } finally {
    db.close();
  }
}
