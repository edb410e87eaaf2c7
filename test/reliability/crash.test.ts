/**
 * Crash: the real server process under load from signed participants, killed with SIGKILL at random
 * moments and restarted on the same database, again and again. Afterwards nothing acknowledged is lost.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RedcapEmulator } from '../../src/demo/redcap-emulator/index.js';
import { buildServer } from './harness/build-server.js';
import { reliabilityScale, writeFigures } from './harness/figures.js';
import {
  accountTexts, corruptConversations, lostInbound, probedSendsWhileOptedOut, recordMismatches, storedInboundIds,
  type ProbeLine,
} from './harness/invariants.js';
import { takeSurvey, type Conversation, type Run } from './harness/participants.js';
import { freePort, serverProcess, type ServerProcess } from './harness/server-process.js';
import { ADMIN_TOKEN, AUTH_TOKEN, LOG_SALT, REDCAP_TOKEN, cohort, recordValues } from './harness/study.js';
import { postDet, quiescent, studyEdges, type StudyEdges } from './harness/study-edges.js';
import type { RecordingTwilio } from './harness/twilio-recorder.js';
import { assertLogsArePrivate } from './harness/privacy.js';

const SCALE = reliabilityScale();
const PARTICIPANTS = 12 * SCALE;
const KILLS = 4 * SCALE;
const SEED = Number(process.env.RELIABILITY_SEED ?? Date.now() % 1_000_000);

/** A small seeded generator, so a failing run can be repeated with RELIABILITY_SEED. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const participants = cohort(PARTICIPANTS);
let edges: StudyEdges | undefined;
let emulator: RedcapEmulator;
let twilio: RecordingTwilio;
let server: ServerProcess;
let conversations: Conversation[] = [];
let kills = 0;
let probe: ProbeLine[] = [];
let db: Database.Database;
let build: ReturnType<typeof buildServer> | undefined;

beforeAll(async () => {
  build = buildServer();
  edges = await studyEdges(participants, 'crash');
  ({ emulator, twilio } = edges);
  const dbPath = edges.dbPath;
  const probeFile = join(edges.folder, 'probe.jsonl');
  server = serverProcess(build.entry, await freePort(), { ...edges.env, RELIABILITY_PROBE_FILE: probeFile });
  await server.start();

  const deadline = Date.now() + 60_000 * SCALE;
  const run: Run = { baseUrl: () => server.baseUrl, accepted: () => twilio.accepted(), deadline };
  const next = random(SEED);
  let done = false;
  // The chaos: SIGKILL at a random moment, restart at once, until KILLS kills or the surveys are done.
  let chaosError: unknown;
  const chaos = (async () => {
    while (!done && kills < KILLS && Date.now() < deadline) {
      await sleep(150 + next() * 500);
      if (done) break;
      await server.kill();
      kills += 1;
      await server.start();
    }
  })().catch((error: unknown) => void (chaosError = error));
  const surveys = (async () => {
    for (const participant of participants) await postDet(() => server.baseUrl, participant.recordId, deadline);
    return Promise.all(participants.map((participant) => takeSurvey(run, participant)));
  })();
  try {
    conversations = await surveys;
  } catch (error) {
    // Say what the server holds, to tell a lost text from a slow one.
    const reader = new Database(dbPath, { readonly: true });
    const outbox = reader.prepare(`SELECT id, channel, kind, status, attempts, substr(phone, -4) AS phone, next_attempt_at, last_error FROM outbox ORDER BY id`).all();
    const states = reader.prepare(`SELECT substr(phone, -4) AS phone, status, revision, open, active FROM conversations`).all();
    reader.close();
    done = true;
    await chaos;
    throw new Error(`${(error as Error).message}\nkills: ${kills}, chaos: ${String(chaosError)}\nstderr: ${server.stderrTail()}\nerrors: ${server.logLines.filter((l) => /"level":(50|60)/.test(l)).slice(-3).join('\n')}\noutbox: ${JSON.stringify(outbox)}\nconversations: ${JSON.stringify(states)}`);
  } finally {
    done = true;
    await chaos;
  }
  if (chaosError !== undefined) throw chaosError;
  await quiescent(dbPath, Date.now() + 30_000);
  await server.stop();
  probe = existsSync(probeFile)
    ? readFileSync(probeFile, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as ProbeLine) : [];
  db = new Database(dbPath, { readonly: true });
}, 180_000 * SCALE);

afterAll(async () => {
  db?.close();
  await server?.kill();
  await edges?.close();
  build?.remove();
});

describe('when the server is killed with SIGKILL at random moments under load and restarted', () => {
  test('then every participant finished and the server was really killed mid-run', () => {
    expect(conversations.every((c) => c.finished)).toBe(true);
    expect(kills).toBeGreaterThanOrEqual(Math.min(2, KILLS));
  });

  test('then every inbound webhook that got a 2xx is in the database', () => {
    const acknowledged = conversations.flatMap((c) => c.acknowledged);
    expect(acknowledged.length).toBeGreaterThan(PARTICIPANTS * 4);
    expect(lostInbound(acknowledged, storedInboundIds(db))).toEqual([]);
  });

  test('then REDCap holds exactly the answers each participant gave, with the form complete', () => {
    const rows = emulator.state.projects.get(REDCAP_TOKEN)!.records.list();
    expect(recordMismatches(participants, (id) => recordValues(rows, id))).toEqual([]);
  });

  test('then every stored conversation restores, and each record has one, completed', () => {
    expect(corruptConversations(db)).toEqual([]);
    // One invitation per record, however often the server died between sending it and marking it sent.
    const perRecord = db.prepare(`SELECT record_id AS record, group_concat(status) AS statuses FROM conversations
      GROUP BY record_id HAVING COUNT(*) > 1 OR statuses <> 'completed'`).all();
    expect(perRecord).toEqual([]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM conversations').get()).toEqual({ n: PARTICIPANTS });
  });

  test('then no text was lost or invented, repeats are counted, and none went to an opted-out number', () => {
    const texts = accountTexts(db, twilio.accepted());
    expect(texts.lost).toEqual([]);
    expect(texts.unexplained).toEqual([]);
    expect(probe.length).toBeGreaterThanOrEqual(texts.queued);
    expect(probedSendsWhileOptedOut(probe)).toEqual([]);
    expect(conversations.flatMap((c) => c.optOuts).length).toBe(participants.filter((p) => p.stopAfter !== undefined).length);
    assertLogsArePrivate(server.logLines, participants, [AUTH_TOKEN, ADMIN_TOKEN, REDCAP_TOKEN, LOG_SALT]);
    const imports = emulator.state.requests.filter((r) => r.content === 'record').length;
    writeFigures('crash', {
      seed: SEED, participants: PARTICIPANTS, kills,
      messages: conversations.reduce((n, c) => n + c.acknowledged.length, 0),
      webhookDeliveries: conversations.reduce((n, c) => n + c.posts, 0),
      textsQueued: texts.queued, textsAccepted: twilio.accepted().length, duplicateTexts: texts.duplicates,
      redcapRequests: imports, lost: texts.lost.length, optOutViolations: 0, logLines: server.logLines.length,
    });
  });
});
