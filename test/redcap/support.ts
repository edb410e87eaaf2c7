/** Shared set-up for the REDCap specifications: fixtures, and the emulator on an ephemeral local port. */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach } from 'vitest';
import { createRedcapClient, type RedcapClientOptions } from '../../src/adapters/redcap/index.js';
import type { RedcapClient } from '../../src/ports/redcap/index.js';
import { createRedcapEmulator, type EmulatorProjectConfig, type RedcapEmulator } from '../../src/demo/redcap-emulator/index.js';

export const fixtureText = (path: string): string =>
  readFileSync(new URL(`../../fixtures/${path}`, import.meta.url), 'utf8');

export const fixtureJson = <T = unknown>(path: string): T => JSON.parse(fixtureText(path)) as T;

/** A REDCap-looking token (32 hex digits) that every test asserts never shows up in errors. */
export const TOKEN = 'C0FFEE0123456789ABCDEF0123456789';

export const simpleProject = (overrides: Partial<EmulatorProjectConfig> = {}): EmulatorProjectConfig => ({
  token: TOKEN, projectId: 17, dictionary: fixtureText('dictionaries/redcapr-simple.csv'), ...overrides,
});

export const longitudinalProject = (overrides: Partial<EmulatorProjectConfig> = {}): EmulatorProjectConfig => ({
  token: TOKEN,
  projectId: 18,
  dictionary: fixtureText('dictionaries/redcapr-longitudinal.csv'),
  events: [
    { unique_event_name: 'enrollment_arm_1', event_name: 'Enrollment' },
    { unique_event_name: 'visit_1_arm_1', event_name: 'Visit 1' },
    { unique_event_name: 'final_visit_arm_1', event_name: 'Final visit' },
  ],
  formEventMapping: [
    ...['demographics', 'contact_info', 'baseline_data'].map((form) => ({ unique_event_name: 'enrollment_arm_1', form })),
    ...['visit_lab_data', 'patient_morale_questionnaire', 'visit_blood_workup', 'visit_observed_behavior']
      .map((form) => ({ unique_event_name: 'visit_1_arm_1', form })),
    ...['completion_data', 'completion_project_questionnaire'].map((form) => ({ unique_event_name: 'final_visit_arm_1', form })),
  ],
  ...overrides,
});

export const repeatingProject = (overrides: Partial<EmulatorProjectConfig> = {}): EmulatorProjectConfig => ({
  token: TOKEN,
  projectId: 19,
  dictionary: fixtureText('dictionaries/redcapr-repeating-instruments.csv'),
  repeating: [{ form_name: 'bp' }],
  ...overrides,
});

export interface Harness {
  emulator: RedcapEmulator;
  url: string;
  /** A client with fast retries (no real waiting) unless the test says otherwise. */
  client(options?: Partial<RedcapClientOptions>): RedcapClient;
  close(): Promise<void>;
}

export const noSleep = async (): Promise<void> => {};

export async function startEmulator(projects: EmulatorProjectConfig[]): Promise<Harness> {
  const emulator = createRedcapEmulator({ projects });
  const running = await emulator.listen();
  return {
    emulator,
    url: running.url,
    client: (options = {}) => createRedcapClient({ url: running.url, token: TOKEN, sleep: noSleep, timeoutMs: 2_000, ...options }),
    close: running.close,
  };
}

/** The rejection of a promise, failing the test when it resolves instead. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** A fresh emulator for every test, so imports never leak between them. */
export function withEmulator(project: () => EmulatorProjectConfig): () => Harness {
  let harness: Harness | undefined;
  beforeEach(async () => {
    harness = await startEmulator([project()]);
  });
  afterEach(() => harness?.close());
  return () => {
    if (!harness) throw new Error('the emulator is not running');
    return harness;
  };
}
