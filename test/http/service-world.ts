import twilio from 'twilio';
import request from 'supertest';
import { FakeClock, sequentialIds } from '../../src/adapters/clock.js';
import { createFakeTwilioApi } from '../fakes/fake-twilio-api.js';
import { invite } from '../../src/use-cases/index.js';
import { composeService } from '../../src/composition/service.js';
import { loadConfig } from '../../src/config/env.js';
import { loadProjects } from '../../src/config/projects.js';
import { demoSurvey } from '../conversation/demo-survey.js';
import { ACCOUNT_SID, AUTH_TOKEN, logCapture } from '../twilio/harness.js';

export const ADMIN_TOKEN = 'admin-token-0123456789abcdef';
export const OUR_NUMBER = '+15550001000';
export const PARTICIPANT = '+15555550123';

/** The single-project environment of DESIGN §3, pointed at the fake Twilio API. */
export function baseEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_PATH: ':memory:',
    PUBLIC_URL: 'https://sms.example.org',
    ADMIN_TOKEN,
    REDCAP_API_URL: 'https://redcap.example.org/api/',
    REDCAP_API_TOKEN: 'REDCAPSECRETTOKEN0000000000000000',
    TWILIO_ACCOUNT_SID: ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    TWILIO_FROM_NUMBER: OUR_NUMBER,
    PHONE_FIELD: 'mobile',
    TIMEZONE: 'America/New_York',
    LOG_SALT: 'log-salt-0123456789abcdef',
    ...overrides,
  };
}

/** The real service (in-memory database, fake clock) with Twilio replaced by its fake HTTP API. */
export async function serviceWorld(envOverrides: Record<string, string> = {}) {
  const twilioApi = createFakeTwilioApi({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  const running = await twilioApi.listen();
  const env = baseEnv({ TWILIO_API_BASE_URL: running.baseUrl, ...envOverrides });
  const config = loadConfig(env);
  const clock = new FakeClock('2026-03-02T15:00:00.000Z');
  const logs = logCapture();
  const service = composeService(config, loadProjects(config, env), { clock, logger: logs.logger, newId: sequentialIds() });
  const http = request(service.app);
  let messages = 0;
  const world = {
    service, twilioApi, logs, clock, config, http,
    invite: () =>
      invite(service.conversations, {
        project: 'default', survey: demoSurvey(), instrument: 'daily', recordId: '1', phone: PARTICIPANT, record: { record_id: '1' },
      }),
    sign: (path: string, params: Record<string, string>, base = config.publicUrl) =>
      twilio.getExpectedTwilioSignature(AUTH_TOKEN, base + path, params),
    inboundParams: (body: string, extra: Record<string, string> = {}) => ({
      MessageSid: `SM${String(++messages).padStart(32, '0')}`, AccountSid: ACCOUNT_SID, From: PARTICIPANT, To: OUR_NUMBER,
      Body: body, NumMedia: '0', SmsStatus: 'received', ApiVersion: '2010-04-01', ...extra,
    }),
    /** Posts a correctly signed Twilio webhook. */
    postSigned: (path: string, params: Record<string, string>) =>
      http.post(path).type('form').set('X-Twilio-Signature', world.sign(path, params)).send(params),
    count: (table: string) => (service.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n,
    smsRows: () =>
      (service.db.prepare(`SELECT kind, status, payload FROM outbox WHERE channel = 'sms' ORDER BY id`).all() as { kind: string; status: string; payload: string }[])
        .map((row) => ({ kind: row.kind, status: row.status, body: (JSON.parse(row.payload) as { body: string }).body })),
    async close() {
      await service.close();
      await running.close();
    },
  };
  return world;
}
