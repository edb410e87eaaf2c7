/**
 * docs/configuration.md, written from the zod schemas themselves (z.toJSONSchema and each entry's
 * `.meta()`), so the reference lists exactly the variables and keys the code validates.
 * `npm run docs:config` writes it; test/config/configuration-reference.test.ts fails when it is stale.
 */
import { stringify } from 'yaml';
import { z } from 'zod';
import { englishCatalog } from '../messages/catalog.js';
import { EnvSchema } from './env.js';
import { ProjectFileSchema } from './project-schema.js';

/** The parts of a JSON Schema node the reference reads, with the project's own meta keys. */
interface SchemaNode {
  type?: string;
  title?: string;
  description?: string;
  /** A value as written in the environment or the YAML file (`examples` is dropped for transforming schemas). */
  example?: unknown;
  default?: unknown;
  enum?: unknown[];
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  additionalProperties?: SchemaNode | boolean;
  /** For a variable only some set-ups need: which ones. */
  requiredWhen?: string;
  /** A default the code works out rather than the schema's. */
  defaultText?: string;
}

export const CONFIGURATION_REFERENCE_PATH = 'docs/configuration.md';

const envSchema = (): SchemaNode => z.toJSONSchema(EnvSchema, { io: 'output', unrepresentable: 'any' }) as SchemaNode;

/** A project's schema: the value of each entry under `projects:`. */
function projectSchema(): SchemaNode {
  const file = z.toJSONSchema(ProjectFileSchema, { io: 'input', unrepresentable: 'any' }) as SchemaNode;
  const project = file.properties?.projects?.additionalProperties;
  if (typeof project !== 'object') throw new Error('the project file schema has no `projects` map');
  return project;
}

/** One documented setting: a variable, or a key of the project file by its dotted path. */
interface Entry {
  readonly name: string;
  readonly node: SchemaNode;
  readonly required: string;
}

function envEntries(): Entry[] {
  const schema = envSchema();
  return Object.entries(schema.properties ?? {}).map(([name, node]) => ({
    name,
    node,
    required: node.requiredWhen ?? (schema.required?.includes(name) === true && node.default === undefined ? 'yes' : 'no'),
  }));
}

/** Every key of a project, parents before their children (`sender`, `sender.from`, `invitationRules[].at`). */
function projectEntries(node: SchemaNode = projectSchema(), prefix = ''): Entry[] {
  return Object.entries(node.properties ?? {}).flatMap(([key, child]) => {
    const name = `${prefix}${key}`;
    const own: Entry = { name, node: child, required: node.required?.includes(key) === true && child.default === undefined ? 'yes' : 'no' };
    if (child.properties !== undefined) return [own, ...projectEntries(child, `${name}.`)];
    if (child.items?.properties !== undefined) return [own, ...projectEntries(child.items, `${name}[].`)];
    return [own];
  });
}

/** A value for the node: its example, or one built from its children's examples. */
function exampleOf(node: SchemaNode): unknown {
  if (node.example !== undefined) return node.example;
  if (node.properties !== undefined) {
    const entries = Object.entries(node.properties).map(([key, child]) => [key, exampleOf(child)] as const);
    return Object.fromEntries(entries.filter(([, value]) => value !== undefined));
  }
  if (node.items?.properties !== undefined) return [exampleOf(node.items)];
  return undefined;
}

/** Every variable set to its documented example: loadConfig must accept it (the reference test checks). */
export function exampleEnvironment(): Record<string, string> {
  return Object.fromEntries(envEntries().map((entry) => [entry.name, String(exampleOf(entry.node) ?? '')]));
}

/** A project file with every key set to its documented example: parseProjectFile must accept it. */
export function exampleProjectFile(): string {
  return stringify({ projects: { 'mood-study': exampleOf(projectSchema()) } }, { lineWidth: 0 });
}

/** The `${NAME}` references the example project file uses, for parsing it. */
export function exampleProjectFileEnvironment(): Record<string, string> {
  const names = [...exampleProjectFile().matchAll(/\$\{([A-Z0-9_]+)\}/g)].map((match) => match[1] ?? '');
  return Object.fromEntries(names.map((name) => [name, `example-value-of-${name.toLowerCase()}`]));
}

const code = (text: string): string => `\`${text}\``;
const cell = (text: string): string => text.replace(/\|/g, '\\|');
const plural = (noun: string): string => (noun.endsWith('s') ? noun : `${noun}s`);
const flow = (value: unknown): string => stringify(value, { collectionStyle: 'flow', lineWidth: 0 }).trim();

function typeText(node: SchemaNode): string {
  if (node.anyOf !== undefined) return node.anyOf.map(typeText).join(' or ');
  if (node.enum !== undefined) return node.enum.map((value) => code(String(value))).join(', ');
  if (node.type === 'array' && node.items !== undefined) return `list of ${node.items.properties === undefined ? plural(typeText(node.items)) : 'entries'}`;
  const base = node.title ?? baseType(node);
  return [base, ...limits(node)].join(' ');
}

function baseType(node: SchemaNode): string {
  if (node.format === 'uri') return 'URL';
  if (node.type === 'boolean') return '`true` or `false`';
  if (node.type === 'integer') return 'whole number';
  if (node.type === 'object') return node.properties === undefined ? 'mapping' : 'section';
  return node.type === 'string' ? 'text' : (node.type ?? 'any');
}

function limits(node: SchemaNode): string[] {
  const safe = (n: number | undefined) => (n !== undefined && Math.abs(n) < Number.MAX_SAFE_INTEGER ? n : undefined);
  const [min, max] = [safe(node.minimum), safe(node.maximum)];
  const range = min !== undefined && max !== undefined ? `${min}–${max}` : min !== undefined ? `≥ ${min}` : '';
  const above = node.exclusiveMinimum === undefined ? '' : `> ${node.exclusiveMinimum}${max === undefined ? '' : `, ≤ ${max}`}`;
  const length = node.minLength !== undefined && node.minLength > 1 ? `of ${node.minLength}+ characters` : '';
  return [range || above, length].filter((part) => part !== '').map((part) => (part.startsWith('of') ? part : `(${part})`));
}

function defaultText(node: SchemaNode): string {
  if (node.defaultText !== undefined) return node.defaultText;
  if (node.default === undefined) return '—';
  const value = node.default;
  if ((Array.isArray(value) && value.length === 0) || (typeof value === 'object' && value !== null && Object.keys(value).length === 0)) return 'none';
  return code(typeof value === 'string' ? value : flow(value));
}

function describedOrThrow(entry: Entry): string {
  if (entry.node.description === undefined || entry.node.description.trim() === '') {
    throw new Error(`${entry.name} has no description: give it one with .meta({ description }) in src/config/`);
  }
  return entry.node.description;
}

/** A table row; `example` is the example as it is written where the setting goes. */
function row(entry: Entry, example: (value: unknown) => string): string {
  const value = entry.node.example;
  const cells = [
    code(entry.name), entry.required, typeText(entry.node), defaultText(entry.node),
    value === undefined ? '—' : code(example(value)), describedOrThrow(entry),
  ];
  return `| ${cells.map(cell).join(' | ')} |`;
}

const TABLE_HEAD = ['| name | required | type | default | example | meaning |', '|---|---|---|---|---|---|'];

/** The whole of docs/configuration.md. */
export function renderConfigurationReference(): string {
  const catalog = Object.entries(englishCatalog).map(([key, text]) => `| ${cell(code(key))} | ${cell(text)} |`);
  return [
    '<!-- Generated by `npm run docs:config` from src/config/env.ts, src/config/project-schema.ts and src/messages/catalog.ts: edit those, then run it. A test fails when this file is stale. -->',
    '# Configuration reference',
    '',
    'redcap-sms reads its configuration once, at start-up, and stops with one line per problem (naming the',
    'variable or the `file:line:column` of the key, never printing a secret value) when anything is missing',
    'or malformed. A variable set to the empty string counts as not set.',
    '',
    '- **Environment variables** configure the service. One REDCap project needs nothing else.',
    '- **The project file** (`REDCAP_SMS_PROJECTS=projects.yaml`) serves several REDCap projects from one',
    '  service, each with its own sender, and holds the settings that have no variable (reminders, expiry,',
    '  quiet hours, invitation rules, the survey queue, texts).',
    '',
    '`redcap-sms serve --demo` (`npm start`) reads only `PORT` (3000), `DATA_DIR` (`./data`, where the',
    'demo keeps its database, tokens and emulated REDCap records) and `DATABASE_URL` (PostgreSQL in place of',
    "the database file there); it needs none of the other variables below.",
    '',
    '## Environment variables',
    '',
    'Put them in the environment, or in a file read with `node --env-file=.env dist/cli/main.js serve`',
    '(`.env.example` is a start). "Single-project mode" means `REDCAP_SMS_PROJECTS` is not set.',
    '',
    ...TABLE_HEAD,
    ...envEntries().map((entry) => row(entry, (value) => `${entry.name}=${String(value)}`)),
    '',
    '## The project file',
    '',
    'A YAML file with one entry per project under `projects:`; the entry\'s name (letters, digits, `-`, `_`)',
    'is the project id the admin API and the CLI use. Any value may be a `${NAME}` reference to an',
    'environment variable, which keeps tokens out of the file. A key the service does not know is an error',
    'at its line, not a setting silently ignored. Inbound texts are routed to a project by the number they',
    'were sent to (`sender.from` and `sender.numbers`), so a number may belong to one project only.',
    '',
    ...TABLE_HEAD,
    ...projectEntries().map((entry) => row(entry, flow)),
    '',
    'Every key at once, each set to its example above (accepted as it stands; a real project uses fewer):',
    '',
    '```yaml',
    exampleProjectFile().trimEnd(),
    '```',
    '',
    '## Message keys',
    '',
    'Every text a participant can receive, as `messages:` in the project file can replace it. `{name}` is',
    'filled in by the service; a replacement may use only the placeholders of the English text.',
    '',
    '| key | English text |',
    '|---|---|',
    ...catalog,
    '',
  ].join('\n');
}
