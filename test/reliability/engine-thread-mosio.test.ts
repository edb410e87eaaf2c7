/**
 * Mosio under `redcap-sms serve` on a database file: the engine thread sends through Mosio's API, and
 * Mosio's webhook on the HTTP thread checks for repeated texts through that thread's read-only
 * connection before the engine takes the text. The real CLI runs; Mosio and REDCap are fakes on loopback.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { MOSIO_ANSWERS, createFakeMosioApi, type FakeMosioApi } from '../fakes/fake-mosio-api.js';
import { createRedcapEmulator, type RedcapEmulator, type RunningEmulator } from '../../src/demo/redcap-emulator/index.js';
import { buildServer, CLI_ENTRY } from './harness/build-server.js';
import { assertLogsArePrivate } from './harness/privacy.js';
import { freePort, serverProcess, type ServerProcess } from './harness/server-process.js';
import { ADMIN_TOKEN, LOG_SALT, PUBLIC_URL, REDCAP_TOKEN, cohort, emulatedProject, questionIn, recordValues } from './harness/study.js';
import { postDet } from './harness/study-edges.js';

const MOSIO_KEY = 'reliability-mosio-key-0123456789';
const [participant] = cohort(1);
const { recordId, phone } = participant!;
const national = phone.replace(/^\+1/, '');

let folder: string;
let emulator: RedcapEmulator;
let redcap: RunningEmulator;
let mosio: FakeMosioApi;
let closeMosio: () => Promise<void>;
let server: ServerProcess;
let build: ReturnType<typeof buildServer> | undefined;

beforeAll(async () => {
  build = buildServer(CLI_ENTRY);
  folder = mkdtempSync(join(tmpdir(), 'redcap-sms-engine-thread-mosio-'));
  emulator = createRedcapEmulator({ projects: [emulatedProject([participant!])] });
  redcap = await emulator.listen();
  mosio = createFakeMosioApi({ apiKeys: [MOSIO_KEY] });
  const running = await mosio.listen();
  closeMosio = running.close;
  const projectFile = join(folder, 'projects.yaml');
  writeFileSync(projectFile, [
    'projects:',
    '  study:',
    `    redcap: { url: "${redcap.url}", token: "${REDCAP_TOKEN}" }`,
    `    sender: { mosio: { apiKey: "${MOSIO_KEY}", projectId: "77" }, ratePerSecond: 1000 }`,
    '    phoneField: phone',
    '    timeZone: America/New_York',
    '    invitationRules:',
    '      - instrument: daily',
    '',
  ].join('\n'));
  server = serverProcess(build.entry, await freePort(), {
    DATABASE_PATH: join(folder, 'redcap-sms.db'), PUBLIC_URL, ADMIN_TOKEN, LOG_SALT, LOG_LEVEL: 'debug',
    SMS_PROVIDER: 'mosio', MOSIO_API_BASE_URL: running.baseUrl, REDCAP_SMS_PROJECTS: projectFile,
  }, ['serve']);
  await server.start();
}, 60_000);

afterAll(async () => {
  await server?.kill();
  await closeMosio?.();
  await redcap?.close();
  build?.remove();
  if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
});

/** Mosio's inbound webhook as Mosio posts it: the project's API key, a national number and the text. */
function postFromMosio(body: string): Promise<Response> {
  return fetch(`${server.baseUrl}/webhooks/mosio/sms`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ApiKey: MOSIO_KEY, From: national, Body: body }),
  });
}

/** Waits for Mosio to have been sent question `index` (0 = Q1). */
async function questionSent(index: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (mosio.sends().some((send) => questionIn(String(send.body.Body)) === index)) return;
    await sleep(25);
  }
  throw new Error(`question ${index + 1} never reached Mosio`);
}

describe('when `redcap-sms serve` runs with SMS_PROVIDER=mosio on a database file', () => {
  test('then the engine runs in its own thread and the invitation goes out through Mosio', async () => {
    // Log lines reach stdout asynchronously (ADR 0021), so the line may follow the first healthy answer.
    await vi.waitFor(() => expect(server.logLines.some((line) => line.includes('"engine":"thread"'))).toBe(true), { timeout: 5_000 });

    await postDet(() => server.baseUrl, recordId, Date.now() + 15_000);

    await questionSent(0);
    expect(mosio.sends().every((send) => send.body.Phone === '+1 650-555-1001')).toBe(true);
  });

  test('then a reply is taken once, and the same text again before anything was sent is a repeat', async () => {
    // The next question's send fails once, so nothing reaches the phone between the two copies.
    mosio.answerNext(MOSIO_ANSWERS.serverError);

    const first = await postFromMosio('1');
    const again = await postFromMosio('1');

    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ received: true, duplicate: false });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ received: true, duplicate: true });
    await questionSent(1);
  });

  test('then the rest of the survey is answered and REDCap holds every answer', async () => {
    for (const [index, reply] of ['7', 'yes', 'all good'].entries()) {
      expect((await postFromMosio(reply)).status).toBe(200);
      if (index < 2) await questionSent(index + 2);
    }

    const deadline = Date.now() + 15_000;
    let values: Record<string, string> = {};
    while (Date.now() < deadline) {
      values = recordValues(emulator.state.projects.values().next().value!.records.list(), recordId);
      if (values.daily_complete === '2') break;
      await sleep(50);
    }
    expect(values).toMatchObject({ mood: '1', sleep: '7', exercise: '1', note: 'all good', daily_complete: '2' });
    const db = new Database(join(folder, 'redcap-sms.db'), { readonly: true });
    expect(db.prepare(`SELECT COUNT(*) AS n FROM inbound_messages WHERE provider = 'mosio'`).get()).toEqual({ n: 4 });
    db.close();
  });

  test('then SIGTERM stops it cleanly, and its logs name no phone number, text or key', async () => {
    await server.stop();

    expect(server.exitStatus()).toBe(0);
    assertLogsArePrivate(server.logLines, [participant!], [MOSIO_KEY, REDCAP_TOKEN, ADMIN_TOKEN]);
    expect(server.logLines.filter((line) => line.includes('all good'))).toEqual([]);
  });
});
