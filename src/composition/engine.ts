import { systemClock } from '../adapters/clock.js';
import type { Clock, IdGenerator } from '../ports/clock.js';
import type { HttpDeps, Readiness } from '../adapters/http/app.js';
import type { Invitations } from '../ports/engine.js';
import { createLogger, participantKeyer } from '../adapters/logging/logger.js';
import type { Logger } from '../ports/logger.js';
import { createTwilioEraser } from '../adapters/twilio/message-eraser.js';
import type { SmsSender } from '../ports/sms-provider.js';
import type { Config } from '../config/env.js';
import type { ProjectConfig, ProjectRegistry } from '../config/projects.js';
import { conversationSettings, settingsInEveryLanguage } from '../conversation/index.js';
import { englishCatalog } from '../messages/index.js';
import type { ConversationDeps, ProjectSetup } from '../use-cases/conversation-deps.js';
import { engineDeliveryEvents } from '../use-cases/delivery-results.js';
import { createDeliveredEraser, type DeliveredEraser } from '../loops/delivered-eraser.js';
import { fireDueTimers } from '../use-cases/fire-due-timers.js';
import { createPollingLoop, type PollingLoop } from '../loops/polling-loop.js';
import { createOutboxDispatcher, type OutboxDispatcher } from '../loops/outbox-dispatcher.js';
import { WRITE_CLAIM_PER_LEASE } from '../loops/redcap-write-back.js';
import type { RetryPolicy } from '../policies/backoff.js';
import { createInvitations } from '../use-cases/request-invitation.js';
import { receiveProviderText } from '../use-cases/receive-provider-text.js';
import type { ProviderText } from '../ports/sms-provider.js';
import { ProjectNotConfigured } from '../use-cases/project-not-configured.js';
import { recordDeliveryStatus } from '../use-cases/record-delivery-status.js';
import { createRedcapIntegration, type RedcapIntegration } from './redcap-integration.js';
import { setUpSmsProvider, type SmsProviderSetup } from './sms-provider-setup.js';
import { createEngineMetrics, type EngineMetrics } from '../adapters/metrics/engine-metrics.js';
import { meteredCalls, meteredSender } from './metered.js';
import type { Database } from 'better-sqlite3';
import { openSqlite, sqliteEngineStorage, type EngineStorage } from './engine-storage.js';

/**
 * The engine: the database, the use cases, the background loops and the SMS sender, without the HTTP side.
 * The service in one thread adds the express app to it (service.ts); `serve` on SQLite runs it in a thread of
 * its own (engine-thread/), on PostgreSQL in this thread (decision 0054).
 */

export interface ServiceOptions {
  readonly clock?: Clock;
  readonly newId?: IdGenerator;
  readonly logger?: Logger;
  /** Replaces the SMS provider's sender (the demo's simulator channel). */
  readonly sender?: SmsSender;
  readonly invitations?: Invitations;
  readonly retry?: RetryPolicy;
  /** Replaces the REDCap clients (tests: fast retries against the emulator). */
  readonly redcapClient?: Parameters<typeof createRedcapIntegration>[0]['redcapClient'];
}

/** Timers are due to the second; a one-second poll keeps reminders on time without busy work. */
const TIMER_POLL_MS = 1_000;

/** How long the dispatcher may go without a beat before /readyz says it is not alive. */
const DISPATCHER_STALE_MS = 30_000;

/** What the HTTP side asks of the engine: every call that reads or writes the conversation state. */
export type EngineCalls = Pick<HttpDeps, 'receiveText' | 'recordStatus' | 'invitations' | 'redcap'>;

/** Everything that owns the database: the use cases, the background loops and the SMS sender. */
export interface Engine {
  /** The storage ports it runs on (engine-storage.ts): SQLite or PostgreSQL. */
  readonly storage: EngineStorage;
  readonly dispatcher: OutboxDispatcher;
  readonly logger: Logger;
  /** The conversation use cases' dependencies (invite, fire timers) on the same database. */
  readonly conversations: ConversationDeps;
  /** Write-back, opt-out sync, invitations from REDCap, survey versions. */
  readonly redcap: RedcapIntegration;
  /** Fires due reminders, expiries and scheduled invitations, each in its own transaction. */
  readonly timers: PollingLoop;
  /** Deletes delivered texts of ended conversations from Twilio, for projects that ask for it. */
  readonly eraser: DeliveredEraser;
  /** The SMS provider chosen by SMS_PROVIDER (sender with the segment budget, webhooks, account check). */
  readonly sms: SmsProviderSetup;
  /** The engine's counters and histograms, read by GET /metrics. */
  readonly metrics: EngineMetrics;
  /** Stops the dispatcher after its current send, then closes the database. */
  close(): Promise<void>;
  /** The HTTP side's dependencies that need the engine (the rest: readiness, queries, webhooks). */
  readonly http: EngineCalls & Pick<HttpDeps, 'adminToken' | 'projects' | 'logger' | 'participantKey' | 'afterCommit' | 'now'>;
  readiness(closing: boolean): Promise<Readiness>;
}

/** The engine on SQLite at DATABASE_PATH (the engine thread, tests, the demo); `db` is its connection. */
export function composeEngine(config: Config, projects: ProjectRegistry, options: ServiceOptions = {}): Engine & { readonly db: Database } {
  const db = openSqlite(config, (options.clock ?? systemClock).now());
  return { ...composeEngineOn(sqliteEngineStorage(db), config, projects, options), db };
}

/** The engine without its HTTP side, on any storage: the service in one thread composes both; the engine thread this alone. */
export function composeEngineOn(storage: EngineStorage, config: Config, projects: ProjectRegistry, options: ServiceOptions = {}): Engine {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  if (!config.twilio.validateSignature) {
    // Never silently: an unsigned webhook would let anyone answer for a participant.
    logger.warn({ setting: 'TWILIO_VALIDATE_SIGNATURE' }, 'Twilio signature verification is OFF: every inbound webhook is trusted');
  }
  const { conversations: store, delivery, commit } = storage;
  const setups = new Map(projects.projects.map((project) => [project.id, projectSetup(project)]));
  const deps: ConversationDeps = {
    store,
    clock,
    newId: options.newId ?? (() => crypto.randomUUID()),
    project: (id) => setups.get(id) ?? missingProject(id),
  };
  const events = engineDeliveryEvents(deps);
  const participantKey = participantKeyer(config.logSalt);
  const metrics = createEngineMetrics();
  const sms = setUpSmsProvider({ config, projects, storage, usage: storage.segments, clock, logger, sender: options.sender });
  const dispatcher = createOutboxDispatcher({
    delivery, pace: storage.pace, projects, clock, events, logger, participantKey,
    sender: meteredSender(sms.sender, metrics),
    statusCallbackUrl: `${config.publicUrl}/webhooks/twilio/status`,
    ...(options.retry === undefined ? {} : { retry: options.retry }),
  });
  const redcap = createRedcapIntegration({
    conversations: deps, sync: storage.sync, projects, logger, commit, metrics,
    writeClaimMs: config.postgres.claimLeaseSeconds * 1000 * WRITE_CLAIM_PER_LEASE,
    ...(options.redcapClient === undefined ? {} : { redcapClient: options.redcapClient }),
  });
  const timers = createPollingLoop({
    name: 'timers', clock, logger, idleMs: TIMER_POLL_MS,
    tick: async () => {
      const due = await fireDueTimers(deps, ({ error, timerId, conversationId }) => {
        logger.error({ err: error, timerId, conversationId }, 'a timer could not fire; the other due timers did');
      });
      metrics.timersFired(due);
      if (due > 0) dispatcher.nudge();
    },
  });
  const eraser = createDeliveredEraser({
    store: storage.erase, eraser: createTwilioEraser(config.twilio), clock, logger,
    projects: projects.projects.filter((p) => p.deleteDeliveredMessages ?? config.twilio.deleteDelivered).map((p) => p.id),
  });
  return {
    storage, dispatcher, logger, conversations: deps, redcap, timers, eraser, sms, metrics,
    http: meteredCalls({
      adminToken: config.adminToken,
      projects, logger, participantKey,
      receiveText: (text: ProviderText) => commit((tx) => receiveProviderText(deps, text, tx)),
      recordStatus: (status) => recordDeliveryStatus(delivery, events, status),
      afterCommit: () => {
        dispatcher.nudge();
        redcap.writer.nudge(); // answers reach REDCap without waiting for the writer's idle round
      },
      now: () => clock.now(),
      invitations: options.invitations ?? createInvitations({ conversations: deps, sync: redcap.sync, projects, client: redcap.client, survey: redcap.survey }),
      redcap,
    }, metrics),
    readiness: async (closing) => ({ ...(await readiness(storage, dispatcher, clock, closing)), detail: await sms.detail() }),
    async close() {
      await Promise.all([timers.stop(), dispatcher.stop(), redcap.stop(), eraser.stop()]);
      await storage.close();
    },
  };
}

/** A project's file settings in the conversation engine's terms. */
export function projectSetup(project: ProjectConfig): ProjectSetup {
  const settings = conversationSettings({
    reminders: [...project.reminders],
    expiry: project.expiry ?? null,
    quietHours: project.quietHours === undefined ? null : { ...project.quietHours },
    timeZone: project.timeZone,
    timeZoneField: project.timeZoneField ?? null,
    overlap: project.overlapPolicy,
    surveys: structuredClone(project.surveys),
  });
  return {
    settings: settingsInEveryLanguage(settings, project.languages),
    catalog: Object.freeze({ ...englishCatalog, ...project.messages }),
    languages: project.languages,
  };
}

function missingProject(id: string): never {
  throw new ProjectNotConfigured(id);
}

async function readiness(storage: EngineStorage, dispatcher: OutboxDispatcher, clock: Clock, closing: boolean) {
  const checks = {
    ...(await storage.checks()),
    dispatcher: (() => {
      const beat = dispatcher.lastBeat();
      return beat !== undefined && clock.now().getTime() - beat.getTime() < DISPATCHER_STALE_MS;
    })(),
    accepting: !closing,
  };
  return { ready: Object.values(checks).every(Boolean), checks };
}

/** Starts the background work (dispatcher, REDCap loops); the demo, which listens itself, runs it too. */
export async function startBackground(service: Pick<Engine, 'dispatcher' | 'timers' | 'eraser' | 'sms' | 'redcap'>): Promise<void> {
  service.dispatcher.start();
  service.timers.start();
  service.eraser.start();
  // Logged and shown in /readyz; a failed check does not stop start-up (replies must still be taken).
  await service.sms.checkAccount();
  await service.redcap.pullAll();
  service.redcap.start();
}
