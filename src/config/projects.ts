import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { NO_LANGUAGES, type Languages } from '../languages/index.js';
import type { SurveySettingsInput } from './languages-schema.js';
import { loadLanguages } from './load-languages.js';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from './config-error.js';
import type { Config } from './env.js';
import { substituteEnv, type UnsetReference } from './env-references.js';
import { deepFreeze } from './freeze.js';
import {
  ProjectFileSchema,
  normaliseNumber,
  routingNumbers,
  type DiarySettings,
  type OverlapPolicy,
  type ProjectFileInput,
} from './project-schema.js';
import { locate } from './yaml-locations.js';

/** Everything the service needs to run one REDCap project's SMS surveys. */
export interface ProjectConfig {
  readonly id: string;
  readonly redcap: { readonly url: string; readonly token: string };
  readonly sender: {
    readonly from: string | undefined;
    readonly messagingServiceSid: string | undefined;
    /** Inbound numbers routed to this project (empty: every number, single-project mode only). */
    readonly numbers: readonly string[];
    readonly ratePerSecond: number;
    /** The project's Mosio account (SMS_PROVIDER=mosio): Mosio gives one API key per REDCap project. */
    readonly mosio?: MosioAccount | undefined;
  };
  /** Outbound SMS segments allowed per calendar month (Mosio plans cap them); unset means no cap. */
  readonly monthlySegmentBudget?: number | undefined;
  readonly phoneField: string;
  readonly optOutFields: readonly string[];
  readonly timeZone: string;
  readonly timeZoneField: string | undefined;
  readonly quietHours: { readonly start: string; readonly end: string } | undefined;
  /** ISO 8601 durations after the last prompt. */
  readonly reminders: readonly string[];
  readonly expiry: string | undefined;
  readonly overlapPolicy: OverlapPolicy;
  /** Delete delivered texts from Twilio once the conversation ended; unset: TWILIO_DELETE_DELIVERED. */
  readonly deleteDeliveredMessages?: boolean | undefined;
  /** Message catalog overrides (keys of the English catalog). */
  readonly messages: Readonly<Record<string, string>>;
  readonly invitationRules: readonly {
    readonly instrument: string;
    readonly event?: string | undefined;
    readonly when?: string | undefined;
    readonly delay?: string | undefined;
    readonly at?: string | undefined;
    readonly mode?: 'sms' | 'link' | undefined;
  }[];
  readonly surveyQueue: readonly {
    readonly instrument: string;
    readonly event?: string | undefined;
    readonly when?: string | undefined;
    readonly autoStart?: boolean | undefined;
  }[];
  /** Recurring invitations (decision 0058); none when absent. */
  readonly diaries?: readonly DiarySettings[] | undefined;
  /** How often the diary sweep reads the project's records (ISO 8601 duration); PT15M when absent. */
  readonly diarySweepEvery?: string | undefined;
  /** Staff webhook told of opt-out changes. */
  readonly optOutWebhookUrl?: string | undefined;
  /** The project's languages (REDCap MLM), their translations read from the files the project file names. */
  readonly languages: Languages;
  /** Survey settings per instrument (title, instructions, end text, auto-continue, stop actions). */
  readonly surveys: Readonly<Record<string, SurveySettingsInput>>;
}

export interface MosioAccount {
  readonly apiKey: string;
  /** The project id Mosio was told at verification (REDCap's pid); defaults to our project id. */
  readonly projectId: string;
}

export interface ProjectRegistry {
  readonly projects: readonly ProjectConfig[];
  byId(id: string): ProjectConfig | undefined;
  /** The project an inbound text to `to` belongs to; undefined for a number no project owns. */
  forInboundNumber(to: string): ProjectConfig | undefined;
}

/** The projects of this deployment: from the project file when one is configured, else from the env. */
export function loadProjects(config: Config, env: NodeJS.ProcessEnv): ProjectRegistry {
  if (config.projectsFile === undefined) return projectRegistry([projectFromEnv(config)]);
  let text: string;
  try {
    text = readFileSync(config.projectsFile, 'utf8');
  } catch {
    throw new ConfigError(config.projectsFile, ['REDCAP_SMS_PROJECTS: the project file cannot be read']);
  }
  return projectRegistry(parseProjectFile(text, config.projectsFile, env, config.twilio.sendRatePerSecond));
}

/** Parses and validates a project file; every problem is reported as `file:line:col: path message`. */
export function parseProjectFile(
  text: string,
  fileName: string,
  env: NodeJS.ProcessEnv,
  defaultRatePerSecond: number,
): ProjectConfig[] {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const at = (path: readonly PropertyKey[]) => `${fileName}:${locate(document, lines, path)}`;
  if (document.errors.length > 0) {
    // Only the first syntax error is trustworthy: the parser's later ones cascade from it.
    const first = document.errors[0]!;
    const { line, col } = lines.linePos(first.pos[0]);
    const reason = first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new ConfigError('Invalid project file', [`${fileName}:${line}:${col}: not valid YAML: ${reason} (${first.code})`]);
  }
  const unset: UnsetReference[] = [];
  const resolved = substituteEnv(document.toJS(), env, unset);
  const problems = unset.map((ref) => `${at(ref.path)}: ${pathText(ref.path)} refers to \${${ref.name}}, which is not set`);
  const result = ProjectFileSchema.safeParse(resolved);
  // A value emptied by an unset reference is already reported; its zod issue would only repeat it.
  const reported = new Set(unset.map((ref) => pathText(ref.path)));
  const issues = result.success ? [] : result.error.issues.filter((issue) => !reported.has(pathText(issue.path)));
  problems.push(...issues.flatMap((issue) => describe(issue, at)));
  if (problems.length > 0) throw new ConfigError('Invalid project file', problems);
  if (!result.success) throw new ConfigError('Invalid project file', ['(file): not valid']);
  return toProjects(result.data, defaultRatePerSecond, projectLanguages(result.data, dirname(fileName), at));
}

/** Each project's languages, with its MLM exports and catalogs read; every file's problems at once. */
function projectLanguages(file: ProjectFileInput, baseDir: string, at: (path: readonly PropertyKey[]) => string): Map<string, Languages> {
  const problems: string[] = [];
  const built = new Map<string, Languages>();
  for (const [id, project] of Object.entries(file.projects)) {
    if (project.languages.length === 0) continue;
    const load = loadLanguages(project.languages, project.languageField, baseDir);
    if (load.ok) built.set(id, load.languages);
    else problems.push(...load.problems.map((problem) => {
      const path = ['projects', id, 'languages', ...problem.path];
      return `${at(path)}: ${pathText(path)} ${problem.message}`;
    }));
  }
  if (problems.length > 0) throw new ConfigError('Invalid project file', problems);
  return built;
}

function describe(issue: z.core.$ZodIssue, at: (path: readonly PropertyKey[]) => string): string[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => `${at([...issue.path, key])}: ${pathText([...issue.path, key])} is not a known setting`);
  }
  const missing = issue.code === 'invalid_type' && /received undefined/.test(issue.message);
  return [`${at(issue.path)}: ${pathText(issue.path)} ${missing ? 'is required' : issue.message}`];
}

function pathText(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(file)' : path.map(String).join('.');
}

function toProjects(file: ProjectFileInput, defaultRatePerSecond: number, languages: Map<string, Languages>): ProjectConfig[] {
  return Object.entries(file.projects).map(([id, { languageField: _field, ...project }]) => ({
    ...project,
    id,
    languages: languages.get(id) ?? NO_LANGUAGES,
    timeZoneField: project.timeZoneField,
    quietHours: project.quietHours,
    expiry: project.expiry,
    sender: {
      from: project.sender.from,
      messagingServiceSid: project.sender.messagingServiceSid,
      numbers: routingNumbers(project.sender),
      ratePerSecond: project.sender.ratePerSecond ?? defaultRatePerSecond,
      mosio: project.sender.mosio === undefined ? undefined : { apiKey: project.sender.mosio.apiKey, projectId: project.sender.mosio.projectId ?? id },
    },
  }));
}

/** The settings a project has when nothing says otherwise (as the project file's defaults). */
export const PROJECT_DEFAULTS = {
  optOutFields: [],
  timeZoneField: undefined,
  quietHours: undefined,
  reminders: [],
  expiry: undefined,
  overlapPolicy: 'CHOICE',
  messages: {},
  invitationRules: [],
  surveyQueue: [],
  languages: NO_LANGUAGES,
  surveys: {},
} as const satisfies Partial<ProjectConfig>;

/** Single-project mode: the DESIGN §3 variables describe the one project ("default"). */
export function projectFromEnv(config: Config): ProjectConfig {
  const env = config.singleProject;
  // loadConfig guarantees these in single-project mode; this guards direct callers.
  if (env.redcapApiUrl === undefined || env.redcapApiToken === undefined || env.phoneField === undefined || env.timeZone === undefined) {
    throw new ConfigError('Invalid configuration', ['REDCAP_SMS_PROJECTS or the single-project variables are required']);
  }
  return {
    id: 'default',
    redcap: { url: env.redcapApiUrl, token: env.redcapApiToken },
    sender: {
      from: env.fromNumber,
      messagingServiceSid: env.messagingServiceSid,
      numbers: env.fromNumber === undefined ? [] : [normaliseNumber(env.fromNumber)],
      ratePerSecond: config.twilio.sendRatePerSecond,
      mosio: env.mosioApiKey === undefined ? undefined : { apiKey: env.mosioApiKey, projectId: env.mosioProjectId ?? 'default' },
    },
    ...PROJECT_DEFAULTS,
    monthlySegmentBudget: env.monthlySegmentBudget,
    phoneField: env.phoneField,
    optOutFields: env.optOutField === undefined ? [] : [env.optOutField],
    timeZone: env.timeZone,
  };
}

/** Routes by inbound number; a lone project without a fixed number (Messaging Service only) takes all. */
export function projectRegistry(projects: readonly ProjectConfig[]): ProjectRegistry {
  const frozen = deepFreeze([...projects]);
  const byNumber = new Map(frozen.flatMap((project) => project.sender.numbers.map((n) => [n, project] as const)));
  const catchAll = frozen.length === 1 && frozen[0]?.sender.numbers.length === 0 ? frozen[0] : undefined;
  return {
    projects: frozen,
    byId: (id) => frozen.find((project) => project.id === id),
    forInboundNumber: (to) => byNumber.get(normaliseNumber(to)) ?? catchAll,
  };
}
