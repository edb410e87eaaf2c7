import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Database } from 'better-sqlite3';
import type { Express } from 'express';
import { sqliteDashboardQueries } from '../adapters/admin/dashboard-queries.js';
import { sqliteAdminQueries } from '../adapters/admin/sqlite-admin-queries.js';
import { systemClock, type Clock, type IdGenerator } from '../adapters/clock.js';
import { SqliteDeliveryStore } from '../adapters/delivery/sqlite-delivery-store.js';
import { SqliteEraseStore } from '../adapters/delivery/sqlite-erase-store.js';
import { createApp } from '../adapters/http/app.js';
import type { Invitations } from '../adapters/http/admin-api.js';
import { createLogger, participantKeyer, type Logger } from '../adapters/logging/logger.js';
import { SqliteStore, openDatabase, readMigrations } from '../adapters/storage/index.js';
import { createTwilioEraser } from '../adapters/twilio/message-eraser.js';
import type { SmsSender } from '../adapters/provider/port.js';
import type { Config } from '../config/env.js';
import type { ProjectConfig, ProjectRegistry } from '../config/projects.js';
import { conversationSettings } from '../conversation/index.js';
import { englishCatalog } from '../messages/index.js';
import type { ConversationDeps, ProjectSetup } from './deps.js';
import { engineDeliveryEvents } from './delivery-events.js';
import { createDeliveredEraser, type DeliveredEraser } from './erase-delivered.js';
import { fireDueTimers } from './fire-due-timers.js';
import { createPollingLoop, type PollingLoop } from './polling-loop.js';
import { createOutboxDispatcher, type OutboxDispatcher, type RetryPolicy } from './dispatch-outbox.js';
import { createInvitations } from './invitations.js';
import { receiveProviderText, type ProviderText } from './receive-provider-text.js';
import { createGroupCommit } from './group-commit.js';
import { recordDeliveryStatus } from './record-delivery-status.js';
import { createRedcapIntegration, type RedcapIntegration } from './redcap-integration.js';
import { setUpSmsProvider, type SmsProviderSetup } from './sms-provider-setup.js';

/**
 * The composition root: config → database (migrations) → use cases → express app + dispatcher.
 * `composeService` wires without listening (tests use it); `startService` listens and handles SIGTERM.
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

export interface Service {
  readonly app: Express;
  readonly db: Database;
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
  /** Stops the dispatcher after its current send, then closes the database. */
  close(): Promise<void>;
}

/** Timers are due to the second; a one-second poll keeps reminders on time without busy work. */
const TIMER_POLL_MS = 1_000;

/** How long the dispatcher may go without a beat before /readyz says it is not alive. */
const DISPATCHER_STALE_MS = 30_000;

export function composeService(config: Config, projects: ProjectRegistry, options: ServiceOptions = {}): Service {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const db = openDatabase(config.databasePath, {
    synchronous: config.sqlite.synchronous === 'NORMAL' || config.sqlite.synchronous === 'OFF' ? 'NORMAL' : 'FULL',
    busyTimeoutMs: config.sqlite.busyTimeoutMs,
    now: clock.now(),
  });
  if (!config.twilio.validateSignature) {
    // Never silently: an unsigned webhook would let anyone answer for a participant.
    logger.warn({ setting: 'TWILIO_VALIDATE_SIGNATURE' }, 'Twilio signature verification is OFF: every inbound webhook is trusted');
  }
  const store = new SqliteStore(db);
  const delivery = new SqliteDeliveryStore(db);
  const setups = new Map(projects.projects.map((project) => [project.id, projectSetup(project)]));
  const deps: ConversationDeps = {
    store,
    clock,
    newId: options.newId ?? (() => crypto.randomUUID()),
    project: (id) => setups.get(id) ?? missingProject(id),
  };
  const events = engineDeliveryEvents(deps);
  const participantKey = participantKeyer(config.logSalt);
  const sms = setUpSmsProvider({ config, projects, db, clock, logger, sender: options.sender });
  const dispatcher = createOutboxDispatcher({
    delivery, projects, clock, events, logger, participantKey,
    sender: sms.sender,
    statusCallbackUrl: `${config.publicUrl}/webhooks/twilio/status`,
    ...(options.retry === undefined ? {} : { retry: options.retry }),
  });
  const redcap = createRedcapIntegration({
    conversations: deps, projects, logger,
    ...(options.redcapClient === undefined ? {} : { redcapClient: options.redcapClient }),
  });
  const timers = createPollingLoop({
    name: 'timers', clock, logger, idleMs: TIMER_POLL_MS,
    tick: async () => {
      if (fireDueTimers(deps) > 0) dispatcher.nudge();
    },
  });
  const eraser = createDeliveredEraser({
    store: new SqliteEraseStore(db), eraser: createTwilioEraser(config.twilio), clock, logger,
    projects: projects.projects.filter((p) => p.deleteDeliveredMessages ?? config.twilio.deleteDelivered).map((p) => p.id),
  });
  let closing = false;
  const app = createApp({
    adminToken: config.adminToken,
    projects, logger, participantKey,
    receiveText: createGroupCommit(store, (text: ProviderText) => receiveProviderText(deps, text)),
    recordStatus: (status) => recordDeliveryStatus(delivery, events, status),
    afterCommit: () => {
      dispatcher.nudge();
      redcap.writer.nudge(); // answers reach REDCap without waiting for the writer's idle round
    },
    now: () => clock.now(),
    admin: sqliteAdminQueries(db),
    dashboard: sqliteDashboardQueries(db),
    invitations: options.invitations ?? createInvitations({ conversations: deps, sync: redcap.sync, projects, client: redcap.client, survey: redcap.survey }),
    readiness: () => ({ ...readiness(db, dispatcher, clock, closing), detail: sms.detail() }),
    providerWebhooks: sms.webhooks,
    redcap,
  });
  return {
    app, db, dispatcher, logger, conversations: deps, redcap, timers, eraser, sms,
    async close() {
      closing = true;
      await Promise.all([timers.stop(), dispatcher.stop(), redcap.stop(), eraser.stop()]);
      if (db.open) db.close();
    },
  };
}

/** A project's file settings in the conversation engine's terms. */
export function projectSetup(project: ProjectConfig): ProjectSetup {
  return {
    settings: conversationSettings({
      reminders: [...project.reminders],
      expiry: project.expiry ?? null,
      quietHours: project.quietHours === undefined ? null : { ...project.quietHours },
      timeZone: project.timeZone,
      timeZoneField: project.timeZoneField ?? null,
      overlap: project.overlapPolicy,
    }),
    catalog: Object.freeze({ ...englishCatalog, ...project.messages }),
  };
}

function missingProject(id: string): never {
  throw new Error(`project ${id} is not configured`);
}

function readiness(db: Database, dispatcher: OutboxDispatcher, clock: Clock, closing: boolean) {
  const checks = {
    database: safely(() => db.prepare('SELECT 1 AS one').get() !== undefined),
    migrations: safely(() => {
      const applied = db.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get() as { n: number };
      return applied.n === readMigrations().length;
    }),
    dispatcher: (() => {
      const beat = dispatcher.lastBeat();
      return beat !== undefined && clock.now().getTime() - beat.getTime() < DISPATCHER_STALE_MS;
    })(),
    accepting: !closing,
  };
  return { ready: Object.values(checks).every(Boolean), checks };
}

function safely(check: () => boolean): boolean {
  try {
    return check();
  } catch {
    return false;
  }
}

/** Starts the background work (dispatcher, REDCap loops); the demo, which listens itself, runs it too. */
export async function startBackground(service: Service): Promise<void> {
  service.dispatcher.start();
  service.timers.start();
  service.eraser.start();
  // Logged and shown in /readyz; a failed check does not stop start-up (replies must still be taken).
  await service.sms.checkAccount();
  await service.redcap.pullAll();
  service.redcap.start();
}

export interface RunningService {
  readonly url: string;
  /** Stop accepting, let in-flight requests and the current send finish, close the database. */
  stop(): Promise<void>;
}

/** Listens on `config.port`, starts the dispatcher, and stops gracefully on SIGTERM/SIGINT. */
export async function startService(config: Config, projects: ProjectRegistry, options: ServiceOptions = {}): Promise<RunningService> {
  const service = composeService(config, projects, options);
  await startBackground(service);
  const server = await listen(service.app, config.port);
  const { port } = server.address() as AddressInfo;
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      service.logger.info('shutting down');
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await service.close();
      service.logger.info('stopped');
    })());
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void stop());
  service.logger.info({ port, projects: projects.projects.map((p) => p.id) }, 'listening');
  return { url: `http://127.0.0.1:${port}`, stop };
}

function listen(app: Express, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, (error?: Error) => (error === undefined ? resolve(server) : reject(error)));
  });
}
