import request from 'supertest';
import express from 'express';
import { FakeClock, sequentialIds } from '../../src/adapters/clock.js';
import { answeringFirst } from '../../src/adapters/http/plain-routes.js';
import { SqliteDeliveryStore } from '../../src/adapters/delivery/sqlite-delivery-store.js';
import { participantKeyer } from '../../src/adapters/logging/logger.js';
import { createMosioProvider } from '../../src/adapters/mosio/index.js';
import { createFakeMosioApi } from '../fakes/fake-mosio-api.js';
import { SqliteStore, openDatabase } from '../../src/adapters/storage/index.js';
import { SqliteInboundHistory } from '../../src/adapters/storage/inbound-history.js';
import type { ConversationDeps, ProjectSetup } from '../../src/use-cases/conversation-deps.js';
import { engineDeliveryEvents } from '../../src/use-cases/delivery-results.js';
import { InProcessSenderPace } from '../../src/adapters/delivery/in-process-sender-pace.js';
import { createOutboxDispatcher } from '../../src/loops/outbox-dispatcher.js';
import { receiveProviderText } from '../../src/use-cases/receive-provider-text.js';
import { recordDeliveryStatus } from '../../src/use-cases/record-delivery-status.js';
import { conversationSettings } from '../../src/conversation/index.js';
import { englishCatalog } from '../../src/messages/index.js';
import { PROJECT_DEFAULTS, projectRegistry, type ProjectConfig } from '../../src/config/projects.js';
import { logCapture } from '../twilio/harness.js';

/** Test doubles only at the HTTP edge: a fake Mosio API on 127.0.0.1, a real database in memory. */

export const MOSIO_KEY = 'mosio-key-0123456789abcdef';
export const OTHER_KEY = 'mosio-key-other-9876543210';
export const PUBLIC_URL = 'https://sms.example.org';
export const PARTICIPANT = '+16155551234';
export const INBOUND_URL = `${PUBLIC_URL}/webhooks/mosio/sms`;

export function mosioProject(id = 'study', overrides: Partial<ProjectConfig> = {}): ProjectConfig {
  return {
    id,
    redcap: { url: 'https://redcap.example.org/api/', token: 'REDCAPTOKEN' },
    sender: { from: undefined, messagingServiceSid: undefined, numbers: [], ratePerSecond: 1000, mosio: { apiKey: MOSIO_KEY, projectId: '42' } },
    ...PROJECT_DEFAULTS,
    phoneField: 'mobile',
    timeZone: 'America/New_York',
    ...overrides,
  };
}

/** The real dispatcher + Mosio provider + Mosio webhook over one in-memory database. */
export async function mosioWorld(options: { project?: ProjectConfig; setup?: ProjectSetup; start?: string } = {}) {
  const clock = new FakeClock(options.start ?? '2026-03-02T15:00:00.000Z');
  const db = openDatabase(':memory:', { now: clock.now() });
  const store = new SqliteStore(db);
  const delivery = new SqliteDeliveryStore(db);
  const project = options.project ?? mosioProject();
  const projects = projectRegistry([project]);
  const setup = options.setup ?? defaultSetup();
  const deps: ConversationDeps = { store, clock, newId: sequentialIds('conv-'), project: () => setup };
  const fake = createFakeMosioApi({ apiKeys: [MOSIO_KEY] });
  const running = await fake.listen();
  const provider = createMosioProvider({ apiBaseUrl: running.baseUrl, publicUrl: PUBLIC_URL, projects, inbound: new SqliteInboundHistory(db), now: () => clock.now(), timeoutMs: 5_000 });
  const logs = logCapture();
  const events = engineDeliveryEvents(deps);
  const participantKey = participantKeyer('test-salt-0123456789');
  const dispatcher = createOutboxDispatcher({
    delivery, pace: new InProcessSenderPace(), projects, clock, events, logger: logs.logger, participantKey, sender: provider, statusCallbackUrl: undefined,
  });
  const hooks = provider.webhooks({
    projects, logger: logs.logger, participantKey, now: () => clock.now(),
    receiveText: (text) => receiveProviderText(deps, text),
    recordStatus: (status) => recordDeliveryStatus(delivery, events, status),
    afterCommit: () => undefined,
  });
  const http = request(answeringFirst(express(), hooks ?? [], logs.logger));
  return {
    clock, db, store, deps, fake, provider, dispatcher, logs, http, project,
    /** Mosio posting a participant's text to our webhook. */
    inbound: (body: string, fields: Record<string, string> = {}) =>
      http.post('/webhooks/mosio/sms').type('form').send({ MosioAccountId: '777', ApiKey: MOSIO_KEY, From: PARTICIPANT, Body: body, ...fields }),
    /** Runs the dispatcher until nothing more is sent now. */
    async dispatchAll() {
      for (let round = 0; round < 50; round += 1) {
        const report = await dispatcher.runOnce();
        if (report.sent + report.failed + report.suppressed === 0) return;
      }
    },
    count: (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n,
    outbox: () =>
      db.prepare(`SELECT id, status, last_error AS error FROM outbox WHERE channel = 'sms' ORDER BY id`).all() as { id: number; status: string; error: string | null }[],
    async queueText(body: string, phone = PARTICIPANT): Promise<number> {
      return await store.enqueue({
        conversationId: null, project: project.id, channel: 'sms', kind: 'question', phone, status: 'pending',
        payload: { body }, nextAttemptAt: clock.now().toISOString(), createdAt: clock.now().toISOString(),
      });
    },
    async close() {
      await running.close();
      db.close();
    },
  };
}

function defaultSetup(): ProjectSetup {
  return { settings: conversationSettings(), catalog: englishCatalog };
}

export type MosioWorld = Awaited<ReturnType<typeof mosioWorld>>;
