/**
 * The study every reliability specification runs: a contact form with the phone, and a four-question
 * daily survey whose labels start "Q1." … "Q4." so a simulated participant can tell which question a
 * text asks. Each participant has a fixed plan of answers, so the record REDCap must end up with is known.
 */
import type { FlatRecord } from '../../../src/ports/redcap/index.js';
import type { EmulatorProjectConfig } from '../../../src/demo/redcap-emulator/index.js';
import { PROJECT_DEFAULTS, type ProjectConfig } from '../../../src/config/projects.js';

export const REDCAP_TOKEN = 'RELIABILITY0123456789ABCDEF012345';
export const REDCAP_PROJECT_ID = 77;
export const OUR_NUMBER = '+15550009000';
export const ACCOUNT_SID = `AC${'c3'.repeat(16)}`;
export const AUTH_TOKEN = 'reliability-auth-token-0123456789';
export const ADMIN_TOKEN = 'reliability-admin-token-0123456789abcdef';
export const LOG_SALT = 'reliability-log-salt-0123456789';
export const PUBLIC_URL = 'https://sms.reliability.example.org';

const HEADER = [
  'Variable / Field Name', 'Form Name', 'Section Header', 'Field Type', 'Field Label', 'Choices, Calculations, OR Slider Labels',
  'Field Note', 'Text Validation Type OR Show Slider Number', 'Text Validation Min', 'Text Validation Max', 'Identifier?',
  'Branching Logic (Show field only if...)', 'Required Field?', 'Custom Alignment', 'Question Number (surveys only)',
  'Matrix Group Name', 'Matrix Ranking?', 'Field Annotation',
];
const row = (...cells: string[]) => [...cells, ...Array(HEADER.length - cells.length).fill('')].map((c) => `"${c}"`).join(',');

export const STUDY_CSV = [
  row(...HEADER),
  row('record_id', 'contact', '', 'text', 'Record ID'),
  row('phone', 'contact', '', 'text', 'Phone'),
  row('mood', 'daily', '', 'radio', 'Q1. How is your mood?', '1, Good | 2, OK | 3, Bad', '', '', '', '', '', '', 'y'),
  row('sleep', 'daily', '', 'text', 'Q2. Hours of sleep last night?', '', '', 'integer', '0', '24', '', '', 'y'),
  row('exercise', 'daily', '', 'yesno', 'Q3. Did you exercise today?', '', '', '', '', '', '', '', 'y'),
  row('note', 'daily', '', 'text', 'Q4. Anything else to tell us?', '', '', '', '', '', '', '', 'y'),
].join('\n');

export const QUESTIONS = ['mood', 'sleep', 'exercise', 'note'] as const;
export type Question = (typeof QUESTIONS)[number];

/** The question a text asks ("Q2. Hours of sleep…" → 1), or undefined for any other text. */
export function questionIn(body: string): number | undefined {
  const match = /\bQ([1-4])\./.exec(body);
  return match === null ? undefined : Number(match[1]) - 1;
}

export interface Participant {
  readonly recordId: string;
  readonly phone: string;
  /** What to reply to each question, in order, and what REDCap must then hold. */
  readonly replies: readonly string[];
  readonly expected: Readonly<Record<Question, string>>;
  /** Send STOP then START after answering this question (index), if set. */
  readonly stopAfter: number | undefined;
  /** Send an answer REDCap's validation refuses before the right one at this question, if set. */
  readonly invalidAt: number | undefined;
}

/** A deterministic cohort: every third participant opts out and back in, every fourth sends a bad answer first. */
export function cohort(size: number, firstRecord = 1): Participant[] {
  return Array.from({ length: size }, (_, i) => {
    const n = firstRecord + i;
    const mood = String((n % 3) + 1);
    const sleep = String(n % 13);
    const exercise = n % 2 === 0 ? 'yes' : 'no';
    const note = `secretnote${n}x${(n * 7919) % 10007}`;
    return {
      recordId: String(n),
      phone: `+1650555${String(1000 + n).padStart(4, '0')}`,
      replies: [mood, sleep, exercise, note],
      expected: { mood, sleep, exercise: exercise === 'yes' ? '1' : '0', note },
      stopAfter: n % 3 === 0 ? 1 : undefined,
      invalidAt: n % 4 === 0 ? 1 : undefined,
    };
  });
}

export const INVALID_SLEEP = 'ninety-nine hours';

export function emulatedProject(participants: readonly Participant[]): EmulatorProjectConfig {
  const records: FlatRecord[] = participants.map((p) => ({ record_id: p.recordId, phone: p.phone }));
  return { token: REDCAP_TOKEN, projectId: REDCAP_PROJECT_ID, dictionary: STUDY_CSV, records };
}

/** The project as the service sees it; `daily` is sent whenever a Data Entry Trigger names a record. */
export function studyProject(redcapUrl: string, overrides: Partial<ProjectConfig> = {}): ProjectConfig {
  return {
    id: 'study',
    redcap: { url: redcapUrl, token: REDCAP_TOKEN },
    sender: { from: OUR_NUMBER, messagingServiceSid: undefined, numbers: [OUR_NUMBER], ratePerSecond: 1000 },
    ...PROJECT_DEFAULTS,
    phoneField: 'phone',
    timeZone: 'America/New_York',
    invitationRules: [{ instrument: 'daily', mode: 'sms' }],
    ...overrides,
  };
}

/** The same project as a REDCAP_SMS_PROJECTS file, for the server process; its sender at `ratePerSecond`. */
export function projectFileYaml(redcapUrl: string, ratePerSecond = 1000): string {
  return [
    'projects:',
    '  study:',
    `    redcap: { url: "${redcapUrl}", token: "${REDCAP_TOKEN}" }`,
    `    sender: { from: "${OUR_NUMBER}", ratePerSecond: ${ratePerSecond} }`,
    '    phoneField: phone',
    '    timeZone: America/New_York',
    '    invitationRules:',
    '      - instrument: daily',
    '',
  ].join('\n');
}

/** What REDCap holds for a record (its one row in this classic project). */
export function recordValues(rows: readonly { key: { record: string }; values: ReadonlyMap<string, string> }[], recordId: string) {
  return Object.fromEntries(rows.find((r) => r.key.record === recordId)?.values ?? []);
}
