import type { Database } from 'better-sqlite3';
/**
 * A REDCap-integrated world for the write-back, opt-out and DET specifications: the REAL REDCap client
 * against the REAL emulator on 127.0.0.1, a real in-memory SQLite database, a fake clock.
 */
import { FakeClock, sequentialIds } from '../../src/adapters/clock.js';
import { createLogger } from '../../src/adapters/logging/logger.js';
import { createRedcapClient } from '../../src/adapters/redcap/index.js';
import type { FlatRecord } from '../../src/ports/redcap/index.js';
import { createRedcapEmulator, type EmulatorProjectConfig, type RedcapEmulator } from '../../src/demo/redcap-emulator/index.js';
import { SqliteStore, openDatabase } from '../../src/adapters/storage/index.js';
import { SqliteRedcapSyncStore } from '../../src/adapters/storage/redcap-sync-store.js';
import type { OutboxRow } from '../../src/ports/storage/rows.js';
import { handleInbound, type ConversationDeps } from '../../src/use-cases/index.js';
import { createRedcapIntegration, type RedcapIntegration } from '../../src/composition/redcap-integration.js';
import type { OptOutNotice } from '../../src/loops/redcap-opt-out-sync.js';
import { projectSetup } from '../../src/composition/engine.js';
import { parseProjectFile, projectRegistry, type ProjectConfig } from '../../src/config/projects.js';
import { stringify } from 'yaml';

export const TOKEN = 'C0FFEE0123456789ABCDEF0123456789';
export const PHONE = '+16503803405';

const row = (...cells: string[]) => [...cells, ...Array(18 - cells.length).fill('')].map((c) => `"${c}"`).join(',');

/** A small study: contact details with the phone and opt-out fields, a daily and a weekly survey. */
export const STUDY_CSV = [
  row('Variable / Field Name', 'Form Name', 'Section Header', 'Field Type', 'Field Label', 'Choices, Calculations, OR Slider Labels',
    'Field Note', 'Text Validation Type OR Show Slider Number', 'Text Validation Min', 'Text Validation Max', 'Identifier?',
    'Branching Logic (Show field only if...)', 'Required Field?', 'Custom Alignment', 'Question Number (surveys only)',
    'Matrix Group Name', 'Matrix Ranking?', 'Field Annotation'),
  row('record_id', 'contact', '', 'text', 'Record ID'),
  row('phone', 'contact', '', 'text', 'Phone'),
  row('group', 'contact', '', 'radio', 'Group', '1, A | 2, B'),
  row('opt_out_at', 'contact', '', 'text', 'Opted out at', '', '', 'datetime_seconds_ymd'),
  row('opted_out', 'contact', '', 'checkbox', 'Opted out', '1, Yes'),
  row('mood', 'daily', '', 'radio', 'How is your mood?', '1, Good | 2, OK | 3, Bad', '', '', '', '', '', '', 'y'),
  row('symptoms', 'daily', '', 'checkbox', 'Any symptoms?', '1, Cough | 2, Fever | 3, Headache'),
  row('visit_date', 'daily', '', 'text', 'Date of your visit?', '', '', 'date_ymd'),
  row('sleep', 'weekly', '', 'text', 'Hours of sleep?', '', '', 'integer'),
].join('\n');

export const classicStudy = (overrides: Partial<EmulatorProjectConfig> = {}): EmulatorProjectConfig => ({
  token: TOKEN, projectId: 31, dictionary: STUDY_CSV, ...overrides,
});

export const longitudinalStudy = (overrides: Partial<EmulatorProjectConfig> = {}): EmulatorProjectConfig => ({
  token: TOKEN, projectId: 32, dictionary: STUDY_CSV,
  events: [{ unique_event_name: 'baseline_arm_1' }, { unique_event_name: 'day_1_arm_1' }],
  formEventMapping: [
    { unique_event_name: 'baseline_arm_1', form: 'contact' },
    { unique_event_name: 'day_1_arm_1', form: 'daily' },
    { unique_event_name: 'day_1_arm_1', form: 'weekly' },
  ],
  ...overrides,
});

export const repeatingStudy = (overrides: Partial<EmulatorProjectConfig> = {}): EmulatorProjectConfig => ({
  token: TOKEN, projectId: 33, dictionary: STUDY_CSV, repeating: [{ form_name: 'daily' }], ...overrides,
});

export interface World {
  emulator: RedcapEmulator;
  clock: FakeClock;
  db: Database;
  conversations: ConversationDeps;
  redcap: RedcapIntegration;
  project: ProjectConfig;
  logs: string[];
  notices: OptOutNotice[];
  /** A text from the participant, as the Twilio webhook would hand it over. */
  reply(body: string, phone?: string): Promise<void>;
  /** Runs the write-back until nothing due is left (at most `rounds` rounds). */
  writeBack(rounds?: number): Promise<void>;
  /** What the emulator holds for a record: all its rows. */
  records(recordId: string): FlatRecord[];
  /** The requests the emulator saw after the first `mark` (a length of `emulator.state.requests`). */
  requestsSince(mark: number): { content: string; status: number }[];
  outbox(): OutboxRow[];
  close(): Promise<void>;
}

export async function startWorld(
  emulated: EmulatorProjectConfig, project: Record<string, unknown> = {}, start = '2026-03-10T14:00:00.000Z',
): Promise<World> {
  const emulator = createRedcapEmulator({ projects: [emulated] });
  const running = await emulator.listen();
  const clock = new FakeClock(start);
  const db = openDatabase(':memory:', { now: clock.now() });
  const config = projectConfig(running.url, project);
  const projects = projectRegistry([config]);
  const setup = projectSetup(projects.projects[0]!);
  const conversations: ConversationDeps = { store: new SqliteStore(db), clock, newId: sequentialIds('conv-'), project: () => setup };
  const logs: string[] = [];
  const notices: OptOutNotice[] = [];
  const logger = createLogger({ level: 'info', destination: { write: (line: string) => void logs.push(line) } });
  const redcap = createRedcapIntegration({
    conversations, sync: new SqliteRedcapSyncStore(db), projects, logger,
    // No in-client retries or waiting: the write-back's own retries are what these specifications test.
    redcapClient: (p) => createRedcapClient({ url: p.redcap.url, token: p.redcap.token, retries: 0, timeoutMs: 2_000 }),
    postJson: async (_url, body) => void notices.push(body),
  });
  let inbound = 0;
  return {
    emulator, clock, db, conversations, redcap, project: projects.projects[0]!, logs, notices,
    async reply(body, phone = PHONE) {
      inbound += 1;
      await handleInbound(conversations, { provider: 'test', providerMessageId: `SM${inbound}`, project: config.id, from: phone, body });
    },
    async writeBack(rounds = 10) {
      for (let i = 0; i < rounds; i += 1) {
        const report = await redcap.writer.runOnce();
        if (report.sent + report.retried + report.failed === 0) return;
      }
    },
    records: (recordId) => emulator.state.projects.get(TOKEN)!.records.list()
      .filter((stored) => stored.key.record === recordId)
      .map((stored) => ({
        record_id: stored.key.record,
        ...(stored.key.event === '' ? {} : { redcap_event_name: stored.key.event }),
        ...(stored.key.instance === 0 ? {} : { redcap_repeat_instrument: stored.key.repeatInstrument, redcap_repeat_instance: String(stored.key.instance) }),
        ...Object.fromEntries(stored.values),
      })),
    requestsSince(mark) {
      return emulator.state.requests.slice(mark);
    },
    outbox: () => db.prepare('SELECT id FROM outbox ORDER BY id').all().map((r) => r as OutboxRow),
    async close() {
      await redcap.stop();
      db.close();
      await running.close();
    },
  };
}

/** The project as a project file describes it, parsed by the real configuration loader. */
export function projectConfig(url: string, settings: Record<string, unknown> = {}): ProjectConfig {
  const file = stringify({ projects: { study: { ...studySettings(url), ...settings } } });
  return parseProjectFile(file, 'projects.yaml', {}, 10)[0]!;
}

/** The study's project-file settings, shared with the service-level harness. */
export function studySettings(url: string): Record<string, unknown> {
  return {
    redcap: { url, token: TOKEN }, sender: { from: '+16505550100' }, phoneField: 'phone',
    optOutFields: ['opt_out_at', 'opted_out'], timeZone: 'America/New_York',
  };
}
