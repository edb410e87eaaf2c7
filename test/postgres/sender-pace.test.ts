import { afterEach, describe, expect, it } from 'vitest';
import { sequentialIds, systemClock } from '../../src/adapters/clock.js';
import { InProcessSenderPace } from '../../src/adapters/delivery/in-process-sender-pace.js';
import { participantKeyer } from '../../src/adapters/logging/logger.js';
import { openPostgresStorage, type PostgresStorage } from '../../src/adapters/postgres/open-postgres.js';
import { createTwilioSender } from '../../src/adapters/twilio/sms-sender.js';
import { projectRegistry } from '../../src/config/projects.js';
import { conversationSettings } from '../../src/conversation/index.js';
import { createOutboxDispatcher, SLOT_USE_BY_MS } from '../../src/loops/outbox-dispatcher.js';
import { englishCatalog } from '../../src/messages/index.js';
import { senderRate } from '../../src/policies/token-bucket.js';
import type { SmsSender } from '../../src/ports/sms-provider.js';
import { engineDeliveryEvents } from '../../src/use-cases/delivery-results.js';
import { createFakeTwilioApi } from '../fakes/fake-twilio-api.js';
import { rateViolations } from '../reliability/harness/invariants.js';
import { ACCOUNT_SID, AUTH_TOKEN, logCapture, OTHER_SENDER, project } from '../twilio/harness.js';
import { freshSchemas, MIGRATED_AT } from './fresh-storage.js';
import { eventually } from './service-instances.js';

/**
 * Decision 0059: one number's rate holds across instances. Two dispatchers, each on its own storage (its own
 * pool) on one database, work through one sender's backlog; the fake Twilio API notes when each text arrived.
 * The guarantee: in any window of W seconds, at most capacity + rate × (W + use-by) texts are handed to the
 * provider from one sender; at the provider add the spread of the network's latency (measured here).
 */
const schema = freshSchemas();
let cleanUp: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanUp?.();
  cleanUp = undefined;
});

const RATE = senderRate(5);
const TEXTS = 30;
const now = () => performance.timeOrigin + performance.now();

interface Run {
  /** When each text was handed to the provider, by which instance, oldest first. */
  handedOver: { body: string; at: number; instance: number }[];
  /** When each text reached the fake Twilio API, oldest first. */
  received: { body: string; at: number }[];
}

async function twoInstancesSend(pacing: 'shared' | 'per process'): Promise<Run> {
  const url = await schema();
  const storages: PostgresStorage[] = [await openPostgresStorage(url, { now: MIGRATED_AT }), await openPostgresStorage(url, { now: MIGRATED_AT })];
  const twilioApi = createFakeTwilioApi({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  const running = await twilioApi.listen();
  const registry = projectRegistry([project('study', { ratePerSecond: RATE.perSecond })]);
  for (let i = 0; i < TEXTS; i += 1) {
    await storages[0]!.conversations.enqueue({
      conversationId: null, project: 'study', channel: 'sms', kind: 'question', phone: `+1555000${1000 + i}`, status: 'pending',
      payload: { body: `text ${i}` }, nextAttemptAt: MIGRATED_AT.toISOString(), createdAt: MIGRATED_AT.toISOString(),
    });
  }
  const handedOver: Run['handedOver'] = [];
  const clients = storages.map(() => createTwilioSender({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiBaseUrl: running.baseUrl, timeoutMs: 5_000 }));
  // A client's first request loads the twilio library's modules (half a second): out of the measured run.
  for (const client of clients) await client.send({ to: '+15550009999', body: 'warm-up', from: OTHER_SENDER });
  twilioApi.reset();
  const dispatchers = storages.map((storage, instance) => {
    const twilio = clients[instance]!;
    const sender: SmsSender = {
      send(request) {
        handedOver.push({ body: request.body, at: now(), instance });
        return twilio.send(request);
      },
    };
    const deps = { store: storage.conversations, clock: systemClock, newId: sequentialIds(), project: () => ({ settings: conversationSettings(), catalog: englishCatalog }) };
    return createOutboxDispatcher({
      delivery: storage.delivery, pace: pacing === 'shared' ? storage.pace : new InProcessSenderPace(), sender, projects: registry,
      clock: systemClock, events: engineDeliveryEvents(deps), logger: logCapture().logger, participantKey: participantKeyer('test-salt-0123456789'),
      statusCallbackUrl: undefined, idleMs: 20,
    });
  });
  cleanUp = async () => {
    await Promise.all(dispatchers.map((dispatcher) => dispatcher.stop()));
    await Promise.all(storages.map((storage) => storage.close()));
    await running.close();
  };
  for (const dispatcher of dispatchers) dispatcher.start();
  await eventually(() => twilioApi.messages().length >= TEXTS, 'the backlog is sent', 30_000);
  await cleanUp();
  cleanUp = undefined;
  return { handedOver, received: twilioApi.messages().map((m) => ({ body: m.form.Body ?? '', at: m.receivedAt })) };
}

/** Whether one sender's times, handed over or received, ever held more than capacity + rate × (W + slack). */
function overGuarantee(times: readonly number[], slackMs: number): string[] {
  const sends = times.map((at) => ({ to: '', body: '', status: 201, at, from: 'one sender' }));
  return rateViolations(sends, { ratePerSecond: RATE.perSecond, burst: RATE.capacity, toleranceMs: slackMs });
}

/** The spread of the time from hand-over to arrival at the fake provider (the network and the event loop). */
function latencySpread(run: Run): number {
  const handed = new Map(run.handedOver.map((text) => [text.body, text.at]));
  const latencies = run.received.map((text) => text.at - handed.get(text.body)!);
  return Math.max(...latencies) - Math.min(...latencies);
}

describe("one sender's rate across two instances on one PostgreSQL database", () => {
  it('when two dispatchers work through one sender\'s backlog on the shared pace, then neither what they hand over nor what Twilio receives ever goes past capacity + rate × (W + use-by)', async () => {
    const run = await twoInstancesSend('shared');

    expect(run.received).toHaveLength(TEXTS);
    expect(new Set(run.received.map((text) => text.body)).size).toBe(TEXTS);
    expect([0, 1].map((instance) => run.handedOver.filter((text) => text.instance === instance).length).every((n) => n > 0)).toBe(true);
    expect(overGuarantee(run.handedOver.map((text) => text.at), SLOT_USE_BY_MS)).toEqual([]);
    expect(overGuarantee(run.received.map((text) => text.at), SLOT_USE_BY_MS + latencySpread(run))).toEqual([]);
    // And the pace is the rate, not less: after the first burst, a text each 1/rate seconds.
    const times = run.received.map((text) => text.at);
    const seconds = (Math.max(...times) - Math.min(...times)) / 1_000;
    expect(seconds).toBeGreaterThanOrEqual((TEXTS - RATE.capacity) / RATE.perSecond - SLOT_USE_BY_MS / 1_000);
    expect(seconds).toBeLessThan((TEXTS - RATE.capacity) / RATE.perSecond + 2);
  }, 60_000);

  it('when each dispatcher kept its own bucket instead (as before), then the same check fails: together they send faster than the number may', async () => {
    const run = await twoInstancesSend('per process');

    expect(run.received).toHaveLength(TEXTS);
    const times = run.received.map((text) => text.at);
    expect(overGuarantee(times, SLOT_USE_BY_MS + latencySpread(run))).toHaveLength(1);
    // Over the whole run: more texts than one sender's guarantee allows in that time.
    const seconds = (Math.max(...times) - Math.min(...times)) / 1_000;
    expect(TEXTS).toBeGreaterThan(RATE.capacity + RATE.perSecond * (seconds + (SLOT_USE_BY_MS + latencySpread(run)) / 1_000));
  }, 60_000);
});
