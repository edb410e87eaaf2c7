import { Writable } from 'node:stream';
import { FakeClock, sequentialIds } from '../../src/adapters/clock.js';
import type { ConversationDeps } from '../../src/use-cases/index.js';
import { conversationSettings } from '../../src/conversation/index.js';
import { englishCatalog } from '../../src/messages/index.js';
import { SqliteDeliveryStore } from '../../src/adapters/delivery/sqlite-delivery-store.js';
import { createLogger, participantKeyer } from '../../src/adapters/logging/logger.js';
import { SqliteStore, openDatabase } from '../../src/adapters/storage/index.js';
import { createFakeTwilioApi, type RunningFakeTwilioApi } from '../fakes/fake-twilio-api.js';
import { createTwilioSender } from '../../src/adapters/twilio/sms-sender.js';
import { PROJECT_DEFAULTS, projectRegistry, type ProjectConfig } from '../../src/config/projects.js';

/** Test doubles live only at the HTTP edge: a fake Twilio API on 127.0.0.1, a real database in memory. */

export const ACCOUNT_SID = `AC${'a1'.repeat(16)}`;
export const AUTH_TOKEN = 'test-auth-token-0123456789';
export const MESSAGING_SERVICE_SID = `MG${'b2'.repeat(16)}`;
export const PUBLIC_URL = 'https://sms.example.org';
export const SENDER = '+15550001000';
export const OTHER_SENDER = '+15550002000';
export const ALICE = '+15551110001';
export const BOB = '+15551110002';
export const CAROL = '+15551110003';

export function project(id: string, overrides: Partial<ProjectConfig['sender']> = {}): ProjectConfig {
  const from = overrides.from === undefined && overrides.messagingServiceSid !== undefined ? undefined : (overrides.from ?? SENDER);
  return {
    id,
    redcap: { url: 'https://redcap.example.org/api/', token: 'REDCAPTOKEN' },
    sender: { from, messagingServiceSid: undefined, numbers: from === undefined ? [] : [from], ratePerSecond: 1, ...overrides },
    ...PROJECT_DEFAULTS,
    phoneField: 'mobile',
    timeZone: 'America/New_York',
  };
}

/** Captures JSON log lines so tests can assert what never appears in them. */
export function logCapture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger({ level: 'trace', destination }), lines, text: () => lines.join('') };
}

export async function outboxWorld(projects: ProjectConfig[] = [project('study')], options: { timeoutMs?: number } = {}) {
  const clock = new FakeClock('2026-03-02T15:00:00.000Z');
  const db = openDatabase(':memory:', { now: clock.now() });
  const store = new SqliteStore(db);
  const delivery = new SqliteDeliveryStore(db);
  const twilioApi = createFakeTwilioApi({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  const running: RunningFakeTwilioApi = await twilioApi.listen();
  const sender = createTwilioSender({
    accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiBaseUrl: running.baseUrl, timeoutMs: options.timeoutMs ?? 5_000,
  });
  const logs = logCapture();
  const settings = conversationSettings();
  const deps: ConversationDeps = { store, clock, newId: sequentialIds(), project: () => ({ settings, catalog: englishCatalog }) };
  return {
    clock, db, store, delivery, twilioApi, sender, logs, deps, baseUrl: running.baseUrl,
    registry: projectRegistry(projects),
    participantKey: participantKeyer('test-salt-0123456789'),
    /** Queues a text the way the conversation engine does: one outbox row per SMS. */
    async queueText(to: string, body: string, projectId = 'study', at = clock.now()): Promise<number> {
      return await store.enqueue({
        conversationId: null, project: projectId, channel: 'sms', kind: 'question', phone: to, status: 'pending',
        payload: { body }, nextAttemptAt: at.toISOString(), createdAt: clock.now().toISOString(),
      });
    },
    outboxStatus(id: number): string | undefined {
      return (db.prepare('SELECT status FROM outbox WHERE id = ?').get(id) as { status: string } | undefined)?.status;
    },
    async close() {
      await running.close();
      db.close();
    },
  };
}
