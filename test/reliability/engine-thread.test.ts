/**
 * The engine thread: `redcap-sms serve` on a database file answers HTTP in one thread and runs every
 * unit of work, and the loops, in another. The CLI itself is started here (no test doubles inside the
 * process), killed with SIGKILL under load, restarted, and finally stopped with SIGTERM.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import type { RedcapEmulator } from '../../src/demo/redcap-emulator/index.js';
import { buildServer, CLI_ENTRY } from './harness/build-server.js';
import { accountTexts, corruptConversations, lostInbound, recordMismatches, sendsWhileOptedOut, storedInboundIds } from './harness/invariants.js';
import { takeSurvey, type Conversation, type Run } from './harness/participants.js';
import { assertLogsArePrivate } from './harness/privacy.js';
import { freePort, serverProcess, type ServerProcess } from './harness/server-process.js';
import { ACCOUNT_SID, ADMIN_TOKEN, AUTH_TOKEN, LOG_SALT, OUR_NUMBER, REDCAP_TOKEN, cohort, recordValues } from './harness/study.js';
import { postDet, quiescent, studyEdges, type StudyEdges } from './harness/study-edges.js';
import type { RecordingTwilio } from './harness/twilio-recorder.js';
import { signedParams } from './harness/world.js';

const participants = cohort(8);
let edges: StudyEdges | undefined;
let dbPath: string;
let emulator: RedcapEmulator;
let twilio: RecordingTwilio;
let server: ServerProcess;
let build: ReturnType<typeof buildServer> | undefined;
let conversations: Conversation[] = [];
let kills = 0;
let env: Record<string, string>;

const admin = (path: string, init: RequestInit = {}) =>
  fetch(`${server.baseUrl}${path}`, { ...init, headers: { ...init.headers, authorization: `Bearer ${ADMIN_TOKEN}` } });

beforeAll(async () => {
  build = buildServer(CLI_ENTRY);
  edges = await studyEdges(participants, 'engine-thread');
  ({ dbPath, emulator, twilio, env } = edges);
  server = serverProcess(build.entry, await freePort(), env, ['serve']);
  await server.start();
}, 60_000);

afterAll(async () => {
  await server?.kill();
  await edges?.close();
  build?.remove();
});

describe('when `redcap-sms serve` runs on a database file', () => {
  test('then it says the engine runs in its own thread, and /readyz reports the engine thread ready', async () => {
    // Log lines reach stdout asynchronously (ADR 0021), so the line may follow the first healthy answer.
    await vi.waitFor(() => expect(server.logLines.some((line) => line.includes('"engine":"thread"'))).toBe(true), { timeout: 5_000 });
    const response = await fetch(`${server.baseUrl}/readyz`);
    const body = (await response.json()) as { status: string; checks: Record<string, boolean> };
    expect(response.status).toBe(200);
    expect(body.checks).toMatchObject({ database: true, migrations: true, dispatcher: true, accepting: true });
  });

  test('then a bad invitation is refused with its reason by the engine, and nothing is stored', async () => {
    const response = await admin('/api/invitations', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ record: '1', instrument: 'no_such_form' }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(/no_such_form/);
    expect(((await (await admin('/api/conversations')).json()) as { conversations: unknown[] }).conversations).toEqual([]);
  });

  test('then a webhook with a wrong signature is refused before the engine sees it', async () => {
    const response = await fetch(`${server.baseUrl}/webhooks/twilio/sms`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'forged' },
      body: new URLSearchParams({ MessageSid: 'SMforged', From: participants[0]!.phone, To: '+15550009000', Body: 'hello' }),
    });
    expect(response.status).toBe(403);
    const db = new Database(dbPath, { readonly: true });
    expect(storedInboundIds(db)).toEqual(new Set());
    db.close();
  });

  test('then surveys complete while the process is killed with SIGKILL and restarted, and nothing acknowledged is lost', async () => {
    const run: Run = { baseUrl: () => server.baseUrl, accepted: () => twilio.accepted(), deadline: Date.now() + 90_000 };
    for (const participant of participants) await postDet(() => server.baseUrl, participant.recordId, run.deadline);
    let done = false;
    const chaos = (async () => {
      while (!done && kills < 2) {
        await sleep(400);
        if (done) break;
        await server.kill();
        kills += 1;
        await server.start();
      }
    })();
    try {
      conversations = await Promise.all(participants.map((participant) => takeSurvey(run, participant)));
    } finally {
      done = true;
      await chaos;
    }
    await quiescent(dbPath, Date.now() + 30_000);
    const db = new Database(dbPath, { readonly: true });
    try {
      expect(kills).toBe(2);
      expect(conversations.every((c) => c.finished)).toBe(true);
      expect(lostInbound(conversations.flatMap((c) => c.acknowledged), storedInboundIds(db))).toEqual([]);
      expect(corruptConversations(db)).toEqual([]);
      const texts = accountTexts(db, twilio.accepted());
      expect(texts.lost).toEqual([]);
      expect(texts.unexplained).toEqual([]);
      // A text sent before a STOP whose mark the kill lost is suppressed, not resent; none may reach Twilio after the STOP.
      expect(sendsWhileOptedOut(twilio.sends, conversations.flatMap((c) => c.optOuts))).toEqual([]);
    } finally {
      db.close();
    }
    const rows = emulator.state.projects.get(REDCAP_TOKEN)!.records.list();
    expect(recordMismatches(participants, (id) => recordValues(rows, id))).toEqual([]);
    // The HTTP thread reads the admin views from its own read-only connection, and sees the engine's commits.
    const listed = (await (await admin('/api/conversations')).json()) as { conversations: { status: string }[] };
    expect(listed.conversations.map((c) => c.status)).toEqual(participants.map(() => 'completed'));
  }, 150_000);

  test('then a delivery status reaches the engine and is recorded, and the project view comes from the engine', async () => {
    const reader = new Database(dbPath, { readonly: true });
    try {
      const sent = reader.prepare(`SELECT provider_message_id AS sid FROM outbox
        WHERE channel = 'sms' AND provider_message_id IS NOT NULL ORDER BY id LIMIT 1`).get() as { sid: string };
      const params = { MessageSid: sent.sid, MessageStatus: 'delivered', AccountSid: ACCOUNT_SID, From: OUR_NUMBER, To: participants[0]!.phone };
      const response = await fetch(`${server.baseUrl}/webhooks/twilio/status`, {
        method: 'POST', body: new URLSearchParams(params),
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signedParams(params, '/webhooks/twilio/status') },
      });
      expect(response.status).toBe(200);
      expect(reader.prepare('SELECT delivery_status AS status FROM outbox WHERE provider_message_id = ?').get(sent.sid)).toEqual({ status: 'delivered' });
    } finally {
      reader.close();
    }
    const project = await admin('/api/projects/study');
    expect(project.status).toBe(200);
    expect(await project.json()).toMatchObject({ project: 'study' });
    expect((await admin('/api/projects/nope')).status).toBe(404);
  });

  test('then SIGTERM stops it cleanly: exit code 0, the database closed whole', async () => {
    await server.stop();
    expect(server.exitStatus()).toBe(0);
    expect(server.logLines.some((line) => line.includes('"msg":"stopped"'))).toBe(true);
    const db = new Database(dbPath, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    assertLogsArePrivate(server.logLines, participants, [AUTH_TOKEN, ADMIN_TOKEN, REDCAP_TOKEN, LOG_SALT]);
  });

  test('then a database it cannot open stops start-up with one clear line and exit code 1', async () => {
    // A regular file where the database's folder should be: neither the folder nor the database can be made.
    const notAFolder = join(edges!.folder, 'not-a-folder');
    writeFileSync(notAFolder, '');
    const broken = serverProcess(build!.entry, await freePort(), { ...env, DATABASE_PATH: join(notAFolder, 'x.db') }, ['serve']);
    await expect(broken.start()).rejects.toThrow(/exited \(1\)/);
    expect(broken.stderrTail()).toMatch(/^error: Cannot create the database's folder .*not-a-folder \(a file has that name\)$/m);
    expect(broken.stderrTail()).not.toMatch(/\n\s+at /);
  });
});
