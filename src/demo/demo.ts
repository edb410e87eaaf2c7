/**
 * The embedded demo (`npm start` = `redcap-sms serve --demo`): the real service with its database in
 * a data folder, the REDCap API emulator in-process on a loopback port seeded with the demo project
 * from `fixtures/`, and the phone simulator in place of Twilio. Only the SMS provider differs from
 * production: texts still go through the outbox, the dispatcher, the inbound path and the write-back.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { systemClock } from '../adapters/clock.js';
import { createLogger } from '../adapters/logging/logger.js';
import type { Logger } from '../ports/logger.js';
import { createRedcapClient } from '../adapters/redcap/index.js';
import type { FlatRecord, RedcapClient } from '../ports/redcap/index.js';
import { createRedcapEmulator, type RedcapEmulator, type RunningEmulator } from './redcap-emulator/index.js';
import { OffsetClock, createSimulatorChannel, createSimulatorSender } from '../adapters/simulator/index.js';
import { simulatorRoutes } from './simulator-routes.js';
import { loadConfig, type Config, type LogLevel } from '../config/env.js';
import { projectFromEnv, projectRegistry } from '../config/projects.js';
import { createDemoSimulator } from './demo-simulator.js';
import { demoFiles, readDemoState, readSavedRecords, writeDemoState, writeSavedRecords, type DemoState } from './demo-state.js';
import { ensureSurvey } from '../use-cases/survey-versions.js';
import { createPollingLoop } from '../loops/polling-loop.js';
import { receiveProviderText } from '../use-cases/receive-provider-text.js';
import { composeServiceOn, type AnyService } from '../composition/service.js';
import { openEngineStorage, type EngineStorage } from '../composition/engine-storage.js';
import { startBackground } from '../composition/engine.js';
import { loadLanguages } from '../config/load-languages.js';
import { LanguagesSchema } from '../config/languages-schema.js';
import type { Languages } from '../languages/index.js';

/** The demo project: a PHQ-style instrument, four participants, reminders and an expiry to try. */
export const DEMO = {
  dictionary: fileURLToPath(new URL('../../fixtures/dictionaries/demo-phq.csv', import.meta.url)),
  records: fileURLToPath(new URL('../../fixtures/demo/records.json', import.meta.url)),
  instrument: 'phq',
  project: 'default',
  sender: '+15555550100',
  unreachable: ['+15555550199'],
  reminders: ['PT4H', 'PT24H'],
  expiry: 'P2D',
  /** English, and Spanish from an MLM export: record 5 reads Spanish (its language field says es). */
  languages: [
    { id: 'en', switch: ['ENGLISH'], keywords: {} },
    {
      id: 'es', mlm: 'translations/demo-phq.es.json', catalog: 'catalogs/es.yaml', switch: ['ESPAÑOL'],
      keywords: { stop: ['ALTO', 'PARAR'], start: ['INICIAR'], help: ['AYUDA'], skip: ['OMITIR'], back: ['ATRAS'], repeat: ['REPETIR'], confirm: ['SI'] },
    },
  ],
  languageField: 'language',
} as const;

/** The demo's languages, read from fixtures/ like a project file's `languages`. */
function demoLanguages(): Languages {
  const load = loadLanguages(LanguagesSchema.parse(DEMO.languages), DEMO.languageField, fileURLToPath(new URL('../../fixtures/', import.meta.url)));
  if (!load.ok) throw new Error(`the demo's languages do not load: ${load.problems.map((problem) => problem.message).join('; ')}`);
  return load.languages;
}

export interface DemoOptions {
  /** Where the database and the demo's state live (`./data`); created if missing. */
  dataDir: string;
  /** PostgreSQL instead of the SQLite file in `dataDir` (DATABASE_URL); the demo's state stays in `dataDir`. */
  databaseUrl?: string | undefined;
  /** 0 picks a free port. */
  port: number;
  host?: string;
  logLevel?: LogLevel;
  logger?: Logger;
}

export interface RunningDemo {
  /** The page to open. */
  simulatorUrl: string;
  dashboardUrl: string;
  baseUrl: string;
  adminToken: string;
  stop(): Promise<void>;
}

export async function startDemo(options: DemoOptions): Promise<RunningDemo> {
  mkdirSync(options.dataDir, { recursive: true });
  const state = readDemoState(options.dataDir);
  writeDemoState(options.dataDir, state);
  const emulator = await startEmulator(options.dataDir, state);
  const clock = new OffsetClock(systemClock, state.clockOffsetMs);
  const logger = options.logger ?? createLogger({ level: options.logLevel ?? 'warn' });
  const config = demoConfig(options, state, emulator.url);
  const storage = await openEngineStorage(config, clock.now());
  const service = composeDemoService(config, storage, { clock, logger });
  const redcap = createRedcapClient({ url: emulator.url, token: state.redcapToken });
  const server = await listen(demoApp(service, { clock, redcap, adminToken: state.adminToken }), options);
  await startBackground(service);
  const persist = persister(options.dataDir, state, clock, redcap);
  const background = createPollingLoop({
    name: 'demo', clock, logger, idleMs: 1_000,
    tick: async () => {
      await persist();
    },
  });
  background.start();
  const baseUrl = `http://localhost:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    simulatorUrl: `${baseUrl}/simulator`,
    dashboardUrl: `${baseUrl}/dashboard?token=${encodeURIComponent(state.adminToken)}`,
    adminToken: state.adminToken,
    async stop() {
      await background.stop();
      await persist().catch(() => undefined);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await service.close();
      await emulator.close();
    },
  };
}

/** The emulator on a loopback port, with the records of the last run (or the fixtures' seed). */
async function startEmulator(dataDir: string, state: DemoState): Promise<RunningEmulator> {
  const dictionary = readFileSync(DEMO.dictionary, 'utf8');
  const seed = JSON.parse(readFileSync(DEMO.records, 'utf8')) as FlatRecord[];
  const records = readSavedRecords(dataDir) ?? seed;
  const project = (rows: readonly FlatRecord[]) => ({ token: state.redcapToken, projectId: 1, dictionary, records: rows });
  let emulator: RedcapEmulator;
  try {
    emulator = createRedcapEmulator({ projects: [project(records)] });
  } catch {
    // Saved records the emulator refuses (an older dictionary): start again from the fixtures.
    emulator = createRedcapEmulator({ projects: [project(seed)] });
  }
  return emulator.listen(0, '127.0.0.1');
}

interface DemoParts {
  clock: OffsetClock;
  logger: Logger;
}

/** The production configuration, from the same variables as production, with the simulator as the provider. */
function demoConfig(options: DemoOptions, state: DemoState, redcapUrl: string): Config {
  return loadConfig({
    PORT: String(options.port),
    DATABASE_PATH: demoFiles(options.dataDir).database,
    ...(options.databaseUrl === undefined ? {} : { DATABASE_URL: options.databaseUrl }),
    PUBLIC_URL: `http://localhost:${options.port === 0 ? 3000 : options.port}`,
    ADMIN_TOKEN: state.adminToken,
    REDCAP_API_URL: redcapUrl,
    REDCAP_API_TOKEN: state.redcapToken,
    SMS_PROVIDER: 'simulator',
    TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
    TWILIO_AUTH_TOKEN: 'simulator',
    TWILIO_FROM_NUMBER: DEMO.sender,
    TWILIO_SEND_RATE: '20',
    PHONE_FIELD: 'phone',
    OPT_OUT_FIELD: 'opted_out_at',
    TIMEZONE: 'America/New_York',
    LOG_LEVEL: options.logLevel ?? 'warn',
  });
}

/** The production service on the demo's storage, with the simulated handsets as the provider. */
function composeDemoService(config: Config, storage: EngineStorage, parts: DemoParts): AnyService {
  const project = { ...projectFromEnv(config), reminders: [...DEMO.reminders], expiry: DEMO.expiry, languages: demoLanguages() };
  const sender = createSimulatorSender({ phones: storage.simulatorPhones, clock: parts.clock, unreachable: new Set(DEMO.unreachable) });
  return composeServiceOn(storage, config, projectRegistry([project]), { clock: parts.clock, logger: parts.logger, sender });
}

interface DemoAppParts {
  clock: OffsetClock;
  redcap: RedcapClient;
  adminToken: string;
}

/** The service's app behind the simulator's routes (which only the demo has). */
function demoApp(service: AnyService, parts: DemoAppParts): express.Express {
  // The handsets keep their texts in the service's storage, so a conversation survives a restart of the demo.
  const handset = service.storage.simulatorPhones;
  const conversations = service.conversations;
  const surveys = { store: conversations.store, sync: service.redcap.sync, clock: conversations.clock };
  const simulator = createDemoSimulator({
    project: DEMO.project, instrument: DEMO.instrument, homeNumber: DEMO.sender,
    phoneField: 'phone', nameField: 'first_name', optOutField: 'opted_out_at',
    conversations, redcap: parts.redcap, survey: () => ensureSurvey(surveys, parts.redcap, DEMO.project),
    channel: createSimulatorChannel({
      phones: handset, clock: parts.clock,
      receiveText: (text) => receiveProviderText(conversations, text),
      afterCommit: () => service.dispatcher.nudge(),
    }),
    handset, clock: parts.clock, nudge: () => service.dispatcher.nudge(),
  });
  const app = express();
  app.disable('x-powered-by');
  app.get('/', (_req, res) => res.redirect('/simulator'));
  const dashboardUrl = `/dashboard?token=${encodeURIComponent(parts.adminToken)}`;
  app.use(simulatorRoutes({ simulator, instrument: DEMO.instrument, dashboardUrl, logger: service.logger }));
  app.use(service.app);
  return app;
}

function listen(app: express.Express, options: DemoOptions): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(options.port, options.host ?? '127.0.0.1');
    server.once('error', reject);
    server.once('listening', () => resolve(server));
  });
}

/** Saves the clock offset and the REDCap records when they change, so a second run carries on where the first stopped. */
function persister(dataDir: string, state: DemoState, clock: OffsetClock, redcap: RedcapClient): () => Promise<void> {
  let savedRecords = '';
  return async () => {
    if (clock.offset() !== state.clockOffsetMs) {
      state.clockOffsetMs = clock.offset();
      writeDemoState(dataDir, state);
    }
    const records = await redcap.exportRecords();
    const text = JSON.stringify(records);
    if (text !== savedRecords) writeSavedRecords(dataDir, records);
    savedRecords = text;
  };
}
