/**
 * The server side of the inbound benchmarks, run in child processes so the load generator does not
 * share their event loops: the real service as `redcap-sms serve` runs it (service-server.ts: on a temp
 * SQLite file with synchronous=FULL and the engine in its own thread, or on PostgreSQL with the engine in
 * the HTTP thread), the REDCap emulator and the fake Twilio API it talks to (`fake-redcap`, `fake-twilio`:
 * a process each, as REDCap and Twilio are elsewhere in production, so neither's work holds up the other),
 * a bare express endpoint, a bare node HTTP endpoint (the service answers its webhooks ahead of express,
 * decision 0022), or the minimal durable pipeline
 * (signature, inbound row, group commit, answer). Each reports over IPC and exits on `stop`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:http';
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
import { BENCH } from './inbound-load.js';
import { LONG_QUESTIONS, longSurveyCsv } from './long-survey.js';
import { startBenchService, type BenchServiceOptions, type BenchSurvey, type ServerStats } from './service-server.js';
import type { Outbound } from './handoff.js';

export type { BenchSurvey, ServerStats };
export type ServerMode = 'service' | 'bare' | 'node' | 'minimal' | 'fake-redcap' | 'fake-twilio';
export type ServerMessage =
  | { type: 'ready'; port: number }
  | { type: 'stats'; stats: ServerStats }
  | { type: 'fake'; url: string }
  /** The texts the fake Twilio API was asked to send since the last `sends`, oldest first. */
  | { type: 'sends'; sends: Outbound[] };

/** `service <participants> <redcapUrl> <twilioBaseUrl> <survey> <stored> [databaseUrl]`, or `<mode> <participants>`. */
const mode = process.argv[2] as ServerMode;
const [participants, redcapUrl, twilioBaseUrl, survey, stored, databaseUrl] = process.argv.slice(3);
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
} else if (mode === 'fake-redcap') {
  await runFakeRedcap();
} else if (mode === 'fake-twilio') {
  await runFakeTwilio();
} else {
  await runService({
    participants: Number(participants ?? '0'), redcapUrl: redcapUrl ?? '', twilioBaseUrl: twilioBaseUrl ?? '',
    survey: (survey ?? 'short') as BenchSurvey, stored: Number(stored ?? '0'), databaseUrl,
  });
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

/** The REDCap emulator with the benchmark's two projects. */
async function runFakeRedcap(): Promise<void> {
  const redcap = await createRedcapEmulator({
    projects: [
      { token: BENCH.redcapToken, projectId: 1, dictionary: readFileSync(BENCH.dictionary, 'utf8') },
      { token: BENCH.longRedcapToken, projectId: 2, dictionary: longSurveyCsv(LONG_QUESTIONS) },
    ],
  }).listen();
  send({ type: 'fake', url: redcap.url });
  process.on('message', (message) => {
    if (message === 'stop') process.exit(0);
  });
}

/**
 * The fake Twilio API, in a process of its own: in one process with the REDCap emulator, each write-back
 * import (up to 100 records every 100 ms) held up the sends' answers behind it (decision 0073).
 */
async function runFakeTwilio(): Promise<void> {
  const fakeTwilio = createFakeTwilioApi({ accountSid: BENCH.accountSid, authToken: BENCH.authToken });
  const twilioApi = await fakeTwilio.listen();
  send({ type: 'fake', url: twilioApi.baseUrl });
  let told = 0;
  process.on('message', (message) => {
    if (message === 'sends') {
      const sends = fakeTwilio.requests.slice(told)
        .filter((request) => request.method === 'POST' && request.path.endsWith('/Messages.json'))
        .map((request) => ({ phone: request.form.To ?? '', receivedAt: request.receivedAt }));
      told = fakeTwilio.requests.length;
      send({ type: 'sends', sends });
    }
    if (message === 'stop') process.exit(0);
  });
}

async function runService(options: BenchServiceOptions): Promise<void> {
  const service = await startBenchService(options);
  send({ type: 'ready', port: service.port });
  process.on('message', (message) => {
    if (message === 'stats' || message === 'memory') void service.stats(message === 'memory').then((stats) => send({ type: 'stats', stats }));
    if (message === 'stop') void service.stop().finally(() => process.exit(0));
  });
}
