/**
 * The real service (`startService`, the composition root) on PostgreSQL: one or more instances on one fresh
 * schema, each listening on a free port, with the fake Twilio API at the HTTP edge and the REDCap emulator.
 */
import twilio from 'twilio';
import { startService, type RunningService } from '../../src/composition/start-service.js';
import { loadConfig } from '../../src/config/env.js';
import { loadProjects } from '../../src/config/projects.js';
import { createRedcapEmulator, type EmulatorProjectConfig } from '../../src/demo/redcap-emulator/index.js';
import { ADMIN_TOKEN, serviceEnv, writeProjectFile } from '../det/service-harness.js';
import { createFakeTwilioApi } from '../fakes/fake-twilio-api.js';
import { ACCOUNT_SID, AUTH_TOKEN } from '../twilio/harness.js';
import { TOKEN } from '../writeback/harness.js';

export const SMS_WEBHOOK = '/webhooks/twilio/sms';
export const PUBLIC_URL = 'https://sms.example.org';
export const OUR_NUMBER = '+16505550100';

/** What a test adds: environment variables (another SMS_PROVIDER), the project's settings and the sender's rate. */
export interface InstanceOptions {
  readonly env?: Record<string, string>;
  readonly settings?: Record<string, unknown>;
  /**
   * The sender's rate is shared by the instances (decision 0059); by default it is high enough that a test about
   * conversations never waits for it (at the default 1/s, two instances send one text a second between them).
   */
  readonly sendRatePerSecond?: number;
}

export async function startInstances(databaseUrl: string, emulated: EmulatorProjectConfig, count: number, options: InstanceOptions = {}) {
  const emulator = createRedcapEmulator({ projects: [emulated] });
  const redcap = await emulator.listen();
  const twilioApi = createFakeTwilioApi({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  const twilioRunning = await twilioApi.listen();
  const env = {
    ...serviceEnv(writeProjectFile(redcap.url, options.settings)),
    DATABASE_URL: databaseUrl, PORT: '0', PUBLIC_URL,
    TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN, TWILIO_API_BASE_URL: twilioRunning.baseUrl,
    TWILIO_SEND_RATE: String(options.sendRatePerSecond ?? 50),
    ...options.env,
  };
  const config = loadConfig(env);
  const instances: RunningService[] = [];
  // One after the other: the second finds the schema migrated by the first, as a rolling start would.
  for (let i = 0; i < count; i += 1) instances.push(await startService(config, loadProjects(config, env), 'this-thread'));
  let sids = 0;
  return {
    instances, emulator, twilioApi,
    newSid: () => `SM${String(++sids).padStart(32, '0')}`,
    /** A correctly signed Twilio inbound-SMS webhook from `phone`, posted over HTTP to instance `at`. */
    async text(at: number, phone: string, body: string, sid: string): Promise<Response> {
      const params = { MessageSid: sid, AccountSid: ACCOUNT_SID, From: phone, To: OUR_NUMBER, Body: body, NumMedia: '0', SmsStatus: 'received', ApiVersion: '2010-04-01' };
      return fetch(instances[at]!.url + SMS_WEBHOOK, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature(AUTH_TOKEN, PUBLIC_URL + SMS_WEBHOOK, params) },
        body: new URLSearchParams(params).toString(),
      });
    },
    /** POST /api/invitations on instance `at`. */
    invite: (at: number, record: string, instrument: string) =>
      fetch(`${instances[at]!.url}/api/invitations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
        body: JSON.stringify({ record, instrument }),
      }),
    get: (at: number, path: string) => fetch(instances[at]!.url + path, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }),
    /** What the fake Twilio API was asked to send to `phone`, oldest first. */
    textsTo: (phone: string) => twilioApi.messages().filter((m) => m.form.To === phone).map((m) => m.form.Body ?? ''),
    /** The emulator's row of a record (classic project), its fields by name. */
    record: (id: string): Record<string, string> => {
      const stored = emulator.state.projects.get(TOKEN)!.records.list().find((r) => r.key.record === id && r.key.instance === 0);
      return stored === undefined ? {} : Object.fromEntries(stored.values);
    },
    async close() {
      await Promise.all(instances.map((instance) => instance.stop()));
      await Promise.all([redcap.close(), twilioRunning.close()]);
    },
  };
}

/** Polls `check` until it holds (the dispatcher and the write-back run in the background). */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
