/**
 * `GET /metrics` under `redcap-sms serve` on a database file: the engine's counters live on the engine
 * thread, the queues are read by the HTTP thread's read-only connection, and one scrape shows both. The
 * real CLI runs; REDCap and Twilio are fakes on loopback.
 */
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { sample } from '../metrics/scrape.js';
import { buildServer, CLI_ENTRY } from './harness/build-server.js';
import { freePort, serverProcess, type ServerProcess } from './harness/server-process.js';
import { ADMIN_TOKEN, cohort } from './harness/study.js';
import { postDet, studyEdges, type StudyEdges } from './harness/study-edges.js';
import { inboundParams, signedParams, SMS_WEBHOOK } from './harness/world.js';

const METRICS_TOKEN = 'engine-thread-metrics-token-0123456789';
const [participant] = cohort(1);
let edges: StudyEdges | undefined;
let server: ServerProcess;
let build: ReturnType<typeof buildServer> | undefined;

beforeAll(async () => {
  build = buildServer(CLI_ENTRY);
  edges = await studyEdges([participant!], 'engine-thread-metrics');
  server = serverProcess(build.entry, await freePort(), { ...edges.env, METRICS_TOKEN }, ['serve']);
  await server.start();
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await edges?.close();
  build?.remove();
});

const scrape = async (token: string) => {
  const response = await fetch(`${server.baseUrl}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, text: await response.text() };
};

describe('when `redcap-sms serve` runs the engine in its own thread', () => {
  test('then one scrape carries the engine thread\'s counters beside the queues the HTTP thread reads', async () => {
    await postDet(() => server.baseUrl, participant!.recordId, Date.now() + 15_000);
    await vi.waitFor(() => expect(edges!.twilio.accepted()).toHaveLength(1), { timeout: 15_000 });
    const params = inboundParams('SMmetrics0000000000000000000000001', participant!.phone, participant!.replies[0]!);
    const inbound = await fetch(`${server.baseUrl}${SMS_WEBHOOK}`, {
      method: 'POST', body: new URLSearchParams(params),
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signedParams(params) },
    });
    expect(inbound.status).toBe(200);
    // The invitation and the next question, counted once Twilio's answers are back.
    const sent = async () => sample((await scrape(METRICS_TOKEN)).text, 'redcap_sms_texts_sent_total', { project: 'study', outcome: 'sent' });
    await vi.waitFor(async () => expect(await sent()).toBe(2), { timeout: 15_000 });

    const { status, text } = await scrape(METRICS_TOKEN);

    expect(status).toBe(200);
    expect(sample(text, 'redcap_sms_engine_metrics_up')).toBe(1);
    expect(sample(text, 'redcap_sms_inbound_texts_total', { provider: 'twilio', outcome: 'new' })).toBe(1);
    expect(sample(text, 'redcap_sms_unit_of_work_seconds_count', { kind: 'inbound-text', outcome: 'ok' })).toBe(1);
    expect(sample(text, 'redcap_sms_unit_of_work_seconds_count', { kind: 'data-entry-trigger', outcome: 'ok' })).toBe(1);
    expect(sample(text, 'redcap_sms_outbox_pending', { channel: 'sms', project: 'study' })).toBe(0);
    for (const secret of [participant!.phone, participant!.phone.slice(1), ADMIN_TOKEN, METRICS_TOKEN]) expect(text).not.toContain(secret);
  }, 60_000);

  test('then the metrics token opens /metrics and nothing else', async () => {
    const api = await fetch(`${server.baseUrl}/api/conversations`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });

    expect([(await scrape(METRICS_TOKEN)).status, (await scrape('wrong-token-0123456789')).status, api.status]).toEqual([200, 401, 401]);
  });
});
