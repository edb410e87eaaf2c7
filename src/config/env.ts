import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { ConfigError } from './config-error.js';
import { deepFreeze } from './freeze.js';
import { isIanaTimeZone } from '../conversation/time-zone.js';

/**
 * The service's environment variables (DESIGN §3), validated once at start-up into a frozen Config.
 * Nothing else reads `process.env`: the Config is passed down.
 */

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const SQLITE_SYNCHRONOUS_MODES = ['FULL', 'EXTRA', 'NORMAL', 'OFF'] as const;
export type SqliteSynchronous = (typeof SQLITE_SYNCHRONOUS_MODES)[number];
export const SMS_PROVIDERS = ['twilio', 'mosio', 'simulator'] as const;
export type SmsProviderName = (typeof SMS_PROVIDERS)[number];
/** Mosio's REDCap integration API (reference §4); MOSIO_API_BASE_URL points elsewhere (an emulator). */
export const MOSIO_DEFAULT_API_BASE_URL = 'https://api.mosio.com/api';

export interface Config {
  readonly port: number;
  readonly databasePath: string;
  /** A PostgreSQL connection URL (DATABASE_URL); when set it is the storage instead of the SQLite file. */
  readonly databaseUrl: string | undefined;
  /** Public base URL Twilio calls (scheme, host, optional port, optional path prefix), no trailing slash. */
  readonly publicUrl: string;
  readonly adminToken: string;
  /** A bearer token that opens GET /metrics alone (METRICS_TOKEN), for a scraper that should not hold the admin token. */
  readonly metricsToken: string | undefined;
  readonly logLevel: LogLevel;
  /** Salt of the HMAC that turns a phone number into the participant key written to logs. */
  readonly logSalt: string;
  readonly sqlite: { readonly synchronous: SqliteSynchronous; readonly busyTimeoutMs: number };
  /** How long a claimed row stays one instance's on PostgreSQL before another takes it over (decision 0051). */
  readonly postgres: { readonly claimLeaseSeconds: number };
  readonly twilio: TwilioAccountConfig;
  /** Which provider sends and receives texts (SMS_PROVIDER, default twilio). */
  readonly smsProvider: SmsProviderName;
  /** Mosio's API base, no trailing slash; the API keys are per project. */
  readonly mosio: { readonly apiBaseUrl: string };
  /** Path of the project file (REDCAP_SMS_PROJECTS); without it the variables below define one project. */
  readonly projectsFile: string | undefined;
  readonly singleProject: SingleProjectEnv;
}

export interface TwilioAccountConfig {
  readonly accountSid: string;
  readonly authToken: string;
  /** When set, the twilio client talks to this base instead of https://api.twilio.com (an emulator). */
  readonly apiBaseUrl: string | undefined;
  /** Off only by an explicit TWILIO_VALIDATE_SIGNATURE=false, for local experiments. */
  readonly validateSignature: boolean;
  /** Default messages per second per sender (1 suits a US long code). */
  readonly sendRatePerSecond: number;
  /** Delete delivered texts of ended conversations from Twilio (REDCap's privacy behaviour); off by default. */
  readonly deleteDelivered: boolean;
}

/** The project-level variables; required only when no project file is given. */
export interface SingleProjectEnv {
  readonly redcapApiUrl: string | undefined;
  readonly redcapApiToken: string | undefined;
  readonly fromNumber: string | undefined;
  readonly messagingServiceSid: string | undefined;
  readonly phoneField: string | undefined;
  readonly optOutField: string | undefined;
  readonly timeZone: string | undefined;
  readonly mosioApiKey: string | undefined;
  /** The id Mosio knows the project by (REDCap's project id); defaults to our project id. */
  readonly mosioProjectId: string | undefined;
  readonly monthlySegmentBudget: number | undefined;
}

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).meta({ title: 'http(s) URL' });
const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, { error: 'must be an E.164 number like +15551234567' }).meta({ title: 'E.164 phone number' });
const fieldName = z.string().regex(/^[a-z][a-z0-9_]*$/, { error: 'must be a REDCap field name (a-z, 0-9, _)' }).meta({ title: 'REDCap field name' });
const timeZone = z.string().refine(isIanaTimeZone, { error: 'must be an IANA time zone like America/New_York' }).meta({ title: 'IANA time zone' });
const sid = (prefix: string) =>
  z.string().regex(new RegExp(`^${prefix}[0-9a-fA-F]{32}$`), { error: `must be a ${prefix}… SID (34 characters)` }).meta({ title: `${prefix}… SID` });
const SINGLE_PROJECT = 'single-project mode';

/** Also read alone by `backup` and `restore`, which need no other variable. */
const DatabasePath = z.string().default('./data/redcap-sms.db');
/** The error never repeats the value: a connection URL may hold a password. */
const postgresUrl = z
  .url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' })
  .meta({ title: 'PostgreSQL connection URL' });

/**
 * The variables, in the order docs/configuration.md lists them. Each `.meta()` documents one: its
 * `description` and `example`, `requiredWhen` for a variable only some set-ups need, and `defaultText`
 * for a default the code works out. `npm run docs:config` writes the reference from them.
 */
export const EnvSchema = z
  .object({
    PORT: z.coerce.number({ error: 'must be a port number' }).int().min(0).max(65535).default(3000)
      .meta({ description: 'The HTTP port. 0 picks a free one. `serve --demo` (`npm start`) reads it too.', example: '3000' }),
    DATABASE_PATH: DatabasePath.meta({
      description: 'The SQLite database file, created with its folder and tables on first start. `backup` and `restore` read it too.',
      example: '/var/lib/redcap-sms/redcap-sms.db',
    }),
    DATABASE_URL: postgresUrl.optional().meta({
      description: 'A PostgreSQL database (`postgres://user:password@host:5432/database`, libpq parameters such as `?sslmode=require` allowed) used instead of the SQLite file; its tables are created or migrated at start. Never logged: errors name it with the password removed.',
      example: 'postgres://redcap_sms:secret@db.example.org:5432/redcap_sms',
      defaultText: 'unset: SQLite at `DATABASE_PATH`',
    }),
    PUBLIC_URL: httpUrl.meta({
      description: 'The public base URL Twilio and Mosio call (scheme, host, optional port and path prefix). `X-Twilio-Signature` is checked against it plus the route path, never against the Host header, and texts ask for their status callbacks at `PUBLIC_URL/webhooks/twilio/status`.',
      example: 'https://sms.example.org',
    }),
    ADMIN_TOKEN: z.string().min(16, { error: 'must be at least 16 characters' }).meta({
      description: 'The bearer token for `/api/*` and `/dashboard` (at least 16 characters; use a long random value, e.g. `openssl rand -hex 32`). Without `LOG_SALT` it also seeds the participant key in the logs.',
      example: 'e3b0c44298fc1c149afbf4c8996fb924',
    }),
    METRICS_TOKEN: z.string().min(16, { error: 'must be at least 16 characters' }).optional().meta({
      description: 'A bearer token that opens `GET /metrics` alone (at least 16 characters), for a Prometheus scraper that should not hold the admin token.',
      example: 'f1d2d2f924e986ac86fdf7b36c94bcdf',
    }),
    REDCAP_API_URL: httpUrl.optional().meta({ description: "The REDCap API endpoint (your REDCap's address followed by `/api/`).", example: 'https://redcap.example.org/api/', requiredWhen: SINGLE_PROJECT }),
    REDCAP_API_TOKEN: z.string().optional().meta({
      description: "The project's REDCap API token: export and import rights, and full data-set export so that the phone field is not removed ([going live](going-live.md#the-redcap-api-token)).",
      example: '0123456789ABCDEF0123456789ABCDEF', requiredWhen: SINGLE_PROJECT,
    }),
    SMS_PROVIDER: z.enum(SMS_PROVIDERS, { error: `must be one of ${SMS_PROVIDERS.join(', ')}` }).default('twilio').meta({
      description: '`twilio` sends and receives through Twilio; `mosio` through Mosio\'s REDCap API; `simulator` sends nothing out (texts are only stored, as in the demo). The `TWILIO_*` account variables are required only for `twilio`.',
      example: 'mosio',
    }),
    TWILIO_ACCOUNT_SID: sid('AC').optional().meta({ description: 'The Twilio account SID.', example: 'AC0123456789abcdef0123456789abcdef', requiredWhen: 'SMS_PROVIDER=twilio' }),
    TWILIO_AUTH_TOKEN: z.string().min(1).optional().meta({ description: "The Twilio account's (primary) auth token: it signs Twilio's webhooks and authenticates the sends.", example: 'your-auth-token', requiredWhen: 'SMS_PROVIDER=twilio' }),
    TWILIO_FROM_NUMBER: e164.optional().meta({ description: 'The sender number. Inbound texts to it belong to the project.', example: '+15555550100', requiredWhen: `SMS_PROVIDER=twilio in ${SINGLE_PROJECT}, unless TWILIO_MESSAGING_SERVICE_SID is set` }),
    TWILIO_MESSAGING_SERVICE_SID: sid('MG').optional().meta({ description: 'Send through this Messaging Service, which picks the sender number; `TWILIO_FROM_NUMBER`, when also set, then only routes inbound texts. Without `TWILIO_FROM_NUMBER` the one project takes inbound texts to any number.', example: 'MG0123456789abcdef0123456789abcdef' }),
    TWILIO_API_BASE_URL: httpUrl.optional().meta({ description: 'Points the Twilio client at another base URL than `https://api.twilio.com` (an emulator, in tests and demos).', example: 'http://127.0.0.1:4010' }),
    TWILIO_VALIDATE_SIGNATURE: z.stringbool({ error: 'must be true or false' }).default(true).meta({ description: '`false` turns off the `X-Twilio-Signature` check, for local experiments only; the service then logs a warning at start.', example: 'false' }),
    TWILIO_DELETE_DELIVERED: z.stringbool({ error: 'must be true or false' }).default(false).meta({ description: "Delete each delivered text from Twilio once its conversation has ended (REDCap's privacy behaviour). A project file's `deleteDeliveredMessages` overrides it per project.", example: 'true' }),
    TWILIO_SEND_RATE: z.coerce.number({ error: 'must be a number' }).positive().max(1000).default(1).meta({ description: 'Texts per second per sender (1 for a US long code, 3 for toll-free; a 10DLC campaign or short code may allow more). A project file\'s `sender.ratePerSecond` overrides it per project.', example: '3' }),
    MOSIO_API_KEY: z.string().min(8, { error: 'must be at least 8 characters' }).optional().meta({ description: "The project's Mosio API key (Mosio gives one per REDCap project).", example: 'your-mosio-api-key', requiredWhen: `SMS_PROVIDER=mosio in ${SINGLE_PROJECT}` }),
    MOSIO_API_BASE_URL: httpUrl.default(MOSIO_DEFAULT_API_BASE_URL).meta({ description: "Mosio's API base; set only to point at an emulator (tests).", example: 'http://127.0.0.1:4020/api' }),
    MOSIO_PROJECT_ID: z.string().regex(/^[A-Za-z0-9_-]+$/, { error: 'must be letters, digits, - or _' }).optional().meta({ description: 'The project id Mosio knows the project by (its REDCap project id).', example: '1234', defaultText: '`default`' }),
    SMS_MONTHLY_SEGMENT_BUDGET: z.coerce.number({ error: 'must be a whole number' }).int().positive().optional().meta({ description: 'Outbound SMS segments allowed per calendar month (Mosio plans cap them): a warning at 80%, sends refused past it; `/readyz` shows the use.', example: '3000', defaultText: 'no cap' }),
    PHONE_FIELD: fieldName.optional().meta({ description: "The REDCap field holding the participant's phone number.", example: 'phone', requiredWhen: SINGLE_PROJECT }),
    OPT_OUT_FIELD: fieldName.optional().meta({ description: 'A text or datetime field set to the opt-out time (project time zone) on STOP and cleared on START, on every record with that phone number; a checkbox field gets its option 1 ticked.', example: 'sms_opt_out' }),
    TIMEZONE: timeZone.optional().meta({ description: "The project's IANA time zone: quiet hours, invitation times, `today` and `now` in logic, and the opt-out time written to REDCap.", example: 'America/New_York', requiredWhen: SINGLE_PROJECT }),
    REDCAP_SMS_PROJECTS: z.string().optional().meta({ description: 'A YAML project file for several REDCap projects on one service (the keys below); the single-project variables are then not needed.', example: '/etc/redcap-sms/projects.yaml' }),
    LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info').meta({ description: 'The pino log level.', example: 'debug' }),
    LOG_SALT: z.string().min(16, { error: 'must be at least 16 characters' }).optional().meta({ description: 'The salt of the hashed participant key in the logs (at least 16 characters). Set it so that keys stay the same when the admin token changes.', example: 'a-long-random-salt', defaultText: 'derived from `ADMIN_TOKEN`' }),
    SQLITE_SYNCHRONOUS: z
      .enum(SQLITE_SYNCHRONOUS_MODES, { error: `must be one of ${SQLITE_SYNCHRONOUS_MODES.join(', ')}` })
      .default('FULL')
      .meta({ description: "SQLite's durability: `FULL` (and `EXTRA`) syncs every commit before a webhook is answered; `NORMAL` (and `OFF`, which is run as `NORMAL`) may lose the last commits on a power cut.", example: 'NORMAL' }),
    SQLITE_BUSY_TIMEOUT_MS: z.coerce.number({ error: 'must be a number' }).int().min(0).default(5000).meta({ description: 'How long a writer waits for the database lock, in milliseconds.', example: '10000' }),
    POSTGRES_CLAIM_LEASE_SECONDS: z.coerce.number({ error: 'must be a whole number of seconds' }).int({ error: 'must be a whole number of seconds' }).min(1, { error: 'must be at least 1 second' }).max(3600, { error: 'must be at most 3600 seconds' }).default(120).meta({ description: 'With `DATABASE_URL`: how long a due text, timer, invitation or kept Data Entry Trigger that one instance has claimed stays its own. If that instance dies, another takes the row over once the lease runs out; a text whose send reached Twilio just before the death is then sent again (at least once). Keep it longer than a send can take (Twilio\'s 15 s time-out). REDCap writes an instance has claimed stay its own five times as long (10 minutes by default), so a retried import ends within its claim.', example: '30' }),
  })
  .superRefine((env, ctx) => {
    if (env.SMS_PROVIDER === 'twilio') {
      for (const name of ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN'] as const) {
        if (env[name] === undefined) ctx.addIssue({ code: 'custom', path: [name], message: 'is required' });
      }
    }
    if (env.REDCAP_SMS_PROJECTS !== undefined) return;
    // Without a project file, the variables themselves describe the one project.
    const required = ['REDCAP_API_URL', 'REDCAP_API_TOKEN', 'PHONE_FIELD', 'TIMEZONE'] as const;
    for (const name of required) {
      if (env[name] === undefined) {
        ctx.addIssue({ code: 'custom', path: [name], message: 'is required (or set REDCAP_SMS_PROJECTS)' });
      }
    }
    if (env.SMS_PROVIDER === 'mosio' && env.MOSIO_API_KEY === undefined) {
      ctx.addIssue({ code: 'custom', path: ['MOSIO_API_KEY'], message: 'is required when SMS_PROVIDER=mosio (or set REDCAP_SMS_PROJECTS)' });
    }
    if (env.SMS_PROVIDER === 'twilio' && env.TWILIO_FROM_NUMBER === undefined && env.TWILIO_MESSAGING_SERVICE_SID === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['TWILIO_FROM_NUMBER'],
        message: 'is required unless TWILIO_MESSAGING_SERVICE_SID is set (or set REDCAP_SMS_PROJECTS)',
      });
    }
  });

type ParsedEnv = z.infer<typeof EnvSchema>;

/** Parses the environment once; throws ConfigError listing every problem, one line each. */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const present = withoutBlanks(env);
  const result = EnvSchema.safeParse(present);
  if (!result.success) {
    throw new ConfigError('Invalid configuration', result.error.issues.map((issue) => describe(issue, present)));
  }
  return deepFreeze(toConfig(result.data));
}

/**
 * DATABASE_PATH alone, for the commands that only touch the database file (`backup`, `restore`): a cron job
 * taking backups needs no REDCap or Twilio secrets in its environment.
 */
export function loadDatabasePath(env: NodeJS.ProcessEnv): string {
  return DatabasePath.parse(withoutBlanks(env).DATABASE_PATH);
}

/** DATABASE_URL alone, for `migrate-storage`; throws ConfigError (never showing the value) when it is malformed. */
export function loadDatabaseUrl(env: NodeJS.ProcessEnv): string | undefined {
  const result = postgresUrl.optional().safeParse(withoutBlanks(env).DATABASE_URL);
  if (!result.success) throw new ConfigError('Invalid configuration', ['DATABASE_URL must be a postgres:// or postgresql:// URL']);
  return result.data;
}

/** `FOO=` in a .env file means "not set", not "set to the empty string". */
function withoutBlanks(env: NodeJS.ProcessEnv): Record<string, string> {
  const entries = Object.entries(env).filter((entry): entry is [string, string] => (entry[1] ?? '').trim() !== '');
  return Object.fromEntries(entries);
}

function describe(issue: z.core.$ZodIssue, env: Record<string, string>): string {
  const name = issue.path.map(String).join('.');
  const missing = issue.code === 'invalid_type' && env[name] === undefined;
  return `${name} ${missing ? 'is required' : issue.message}`;
}

function toConfig(env: ParsedEnv): Config {
  return {
    port: env.PORT,
    databasePath: env.DATABASE_PATH,
    databaseUrl: env.DATABASE_URL,
    publicUrl: env.PUBLIC_URL.replace(/\/+$/, ''),
    adminToken: env.ADMIN_TOKEN,
    metricsToken: env.METRICS_TOKEN,
    logLevel: env.LOG_LEVEL,
    logSalt: env.LOG_SALT ?? derivedSalt(env.ADMIN_TOKEN),
    sqlite: { synchronous: env.SQLITE_SYNCHRONOUS, busyTimeoutMs: env.SQLITE_BUSY_TIMEOUT_MS },
    postgres: { claimLeaseSeconds: env.POSTGRES_CLAIM_LEASE_SECONDS },
    twilio: {
      // Blank only when another provider is chosen; the Twilio routes are then not mounted at all.
      accountSid: env.TWILIO_ACCOUNT_SID ?? '',
      authToken: env.TWILIO_AUTH_TOKEN ?? '',
      apiBaseUrl: env.TWILIO_API_BASE_URL?.replace(/\/+$/, ''),
      validateSignature: env.TWILIO_VALIDATE_SIGNATURE,
      sendRatePerSecond: env.TWILIO_SEND_RATE,
      deleteDelivered: env.TWILIO_DELETE_DELIVERED,
    },
    smsProvider: env.SMS_PROVIDER,
    mosio: { apiBaseUrl: env.MOSIO_API_BASE_URL.replace(/\/+$/, '') },
    projectsFile: env.REDCAP_SMS_PROJECTS,
    singleProject: {
      redcapApiUrl: env.REDCAP_API_URL,
      redcapApiToken: env.REDCAP_API_TOKEN,
      fromNumber: env.TWILIO_FROM_NUMBER,
      messagingServiceSid: env.TWILIO_MESSAGING_SERVICE_SID,
      phoneField: env.PHONE_FIELD,
      optOutField: env.OPT_OUT_FIELD,
      timeZone: env.TIMEZONE,
      mosioApiKey: env.MOSIO_API_KEY,
      mosioProjectId: env.MOSIO_PROJECT_ID,
      monthlySegmentBudget: env.SMS_MONTHLY_SEGMENT_BUDGET,
    },
  };
}

/** Without LOG_SALT the key is still secret (derived from the admin token) but changes with it. */
function derivedSalt(adminToken: string): string {
  return createHmac('sha256', adminToken).update('redcap-sms participant key').digest('hex');
}
