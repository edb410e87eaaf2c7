/**
 * An in-process service for the outage, race, fuzz and privacy specifications: the real composition
 * root (`composeService`) on a fake clock, with the REAL Twilio client talking to the recording fake
 * Twilio API and the REAL REDCap client talking to the REDCap emulator, both on 127.0.0.1. Background
 * loops are not started: each specification drives the dispatcher and the write-back round by round.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type express from 'express';
import request from 'supertest';
import twilio from 'twilio';
import { FakeClock, sequentialIds } from '../../../src/adapters/clock.js';
import { createRedcapClient } from '../../../src/adapters/redcap/index.js';
import { createRedcapEmulator, type RedcapEmulator } from '../../../src/demo/redcap-emulator/index.js';
import { composeService, type Service } from '../../../src/composition/service.js';
import { createTwilioSender } from '../../../src/adapters/twilio/sms-sender.js';
import { loadConfig } from '../../../src/config/env.js';
import { projectRegistry, type ProjectConfig } from '../../../src/config/projects.js';
import {
  ACCOUNT_SID, ADMIN_TOKEN, AUTH_TOKEN, LOG_SALT, OUR_NUMBER, PUBLIC_URL, REDCAP_PROJECT_ID,
  emulatedProject, recordValues, studyProject, type Participant,
} from './study.js';
import { logCapture } from '../../twilio/harness.js';
import { recordingTwilio, type RecordingTwilio } from './twilio-recorder.js';

export const SMS_WEBHOOK = '/webhooks/twilio/sms';

/** One try at the edge, on the fake clock: a REDCap import (by record) or a Twilio send (by recipient). */
export interface Attempt {
  readonly key: string;
  readonly at: number;
  readonly ok: boolean;
}

export function serviceEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_PATH: ':memory:', PUBLIC_URL, ADMIN_TOKEN, LOG_SALT, LOG_LEVEL: 'trace',
    REDCAP_SMS_PROJECTS: 'unused-the-registry-is-built-in-the-test',
    TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    ...overrides,
  };
}

export function signedParams(params: Record<string, string>, path = SMS_WEBHOOK): string {
  return twilio.getExpectedTwilioSignature(AUTH_TOKEN, PUBLIC_URL + path, params);
}

export function inboundParams(sid: string, from: string, body: string): Record<string, string> {
  return {
    MessageSid: sid, AccountSid: ACCOUNT_SID, From: from, To: OUR_NUMBER, Body: body,
    NumMedia: '0', SmsStatus: 'received', ApiVersion: '2010-04-01',
  };
}

export interface World {
  readonly service: Service;
  readonly clock: FakeClock;
  readonly twilio: RecordingTwilio;
  readonly emulator: RedcapEmulator;
  readonly imports: Attempt[];
  readonly sendAttempts: Attempt[];
  readonly logs: string[];
  readonly http: ReturnType<typeof request>;
  /** Posts a correctly signed inbound SMS webhook. */
  text(phone: string, body: string, sid?: string): Promise<request.Response>;
  /** REDCap's Data Entry Trigger for these records, then the invitation round: each gets its first question. */
  invite(participants: readonly Participant[]): Promise<void>;
  /** Runs the dispatcher and the write-back (advancing the fake clock) until nothing is due, at most `rounds`. */
  drain(rounds?: number, stepMs?: number): Promise<void>;
  /** REDCap's values for a record. */
  valuesOf(recordId: string): Record<string, string>;
  /** Stops answering REDCap requests: the connection is refused until `redcapUp`. */
  redcapDown(): Promise<void>;
  redcapUp(): Promise<void>;
  close(): Promise<void>;
}

export async function startWorld(participants: readonly Participant[], overrides: Partial<ProjectConfig> = {}): Promise<World> {
  const clock = new FakeClock('2026-03-10T14:00:00.000Z');
  const emulator = createRedcapEmulator({ projects: [emulatedProject(participants)] });
  const imports: Attempt[] = [];
  const sendAttempts: Attempt[] = [];
  let server = await listen(emulator.app, 0);
  const port = (server.address() as AddressInfo).port;
  const redcapUrl = `http://127.0.0.1:${port}/api/`;
  const twilioApi = await recordingTwilio();
  const config = loadConfig(serviceEnv({ TWILIO_API_BASE_URL: twilioApi.baseUrl }));
  const projects = projectRegistry([studyProject(redcapUrl, overrides)]);
  const logs = logCapture();
  const twilioSender = createTwilioSender({ ...config.twilio, timeoutMs: 2_000 });
  const service = composeService(config, projects, {
    clock, logger: logs.logger, newId: sequentialIds('conv-'),
    retry: { baseMs: 1_000, maxDelayMs: 60_000, maxAttempts: 12 },
    // One attempt per round and a short timeout: the write-back's own backoff is what is under test.
    redcapClient: (project) => {
      const client = createRedcapClient({ url: project.redcap.url, token: project.redcap.token, retries: 0, timeoutMs: 300 });
      return {
        ...client,
        async importRecords(rows, options) {
          const attempt = { key: String(rows[0]?.record_id), at: clock.now().getTime() };
          try {
            const count = await client.importRecords(rows, options);
            imports.push({ ...attempt, ok: true });
            return count;
          } catch (error) {
            imports.push({ ...attempt, ok: false });
            throw error;
          }
        },
      };
    },
    sender: {
      async send(text) {
        const outcome = await twilioSender.send(text);
        sendAttempts.push({ key: `${text.to} ${text.body}`, at: clock.now().getTime(), ok: outcome.kind === 'sent' });
        return outcome;
      },
    },
  });
  const http = request(service.app);
  let sids = 0;
  const world: World = {
    service, clock, twilio: twilioApi, emulator, imports, sendAttempts, logs: logs.lines, http,
    text(phone, body, sid = `SMworld${String(++sids).padStart(26, '0')}`) {
      const params = inboundParams(sid, phone, body);
      return http.post(SMS_WEBHOOK).type('form').set('X-Twilio-Signature', signedParams(params)).send(params);
    },
    async invite(invited) {
      await service.redcap.pullAll();
      for (const participant of invited) {
        await service.redcap.handleDet({ projectId: String(REDCAP_PROJECT_ID), record: participant.recordId, instrument: 'contact', event: null });
      }
      await service.redcap.sendDueInvitations();
    },
    async drain(rounds = 40, stepMs = 1_000) {
      for (let i = 0; i < rounds; i += 1) {
        const texts = await service.dispatcher.runOnce();
        const writes = await service.redcap.writer.runOnce();
        const pending = service.db.prepare(`SELECT COUNT(*) AS n FROM outbox WHERE status = 'pending'`).get() as { n: number };
        if (pending.n === 0 && texts.sent + writes.sent === 0) return;
        clock.advance(stepMs);
      }
    },
    valuesOf: (recordId) => recordValues(emulator.state.projects.values().next().value!.records.list(), recordId),
    async redcapDown() {
      await close(server);
    },
    async redcapUp() {
      server = await listen(emulator.app, port);
    },
    async close() {
      await service.close();
      await twilioApi.close();
      if (server.listening) await close(server);
    },
  };
  return world;
}

function listen(app: express.Express, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, '127.0.0.1', (error?: Error) => (error === undefined ? resolve(server) : reject(error)));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
