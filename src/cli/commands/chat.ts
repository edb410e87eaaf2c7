/**
 * `redcap-sms chat --dictionary <file> --instrument <name>`: take a survey in the terminal as a
 * participant would, on the real engine with an in-memory database and a fake clock (as `replay`
 * does). `--record-fixture` saves the session as a replayable conversation fixture.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { ChatSession, type ChatPlace } from '../../chat/session.js';
import { parseProjectDesign } from '../../config/project-design-file.js';
import { flatRow } from './logic-eval-record.js';
import { ConversationSettingsSchema, type ConversationSettingsInput } from '../../conversation/index.js';
import { parseDictionary } from '../../dictionary/index.js';
import type { Survey } from '../../dictionary/model.js';
import { EXIT, UsageError, type CliIo } from '../io.js';
import type { SetExit } from '../set-exit.js';

interface ChatFlags {
  dictionary: string;
  instrument: string;
  recordFixture?: string;
  recordId: string;
  phone: string;
  data?: string;
  settings?: string;
  now?: string;
  design?: string;
  event?: string;
  rows?: string;
}

const HELP = [
  'Type a reply and press Enter. Commands:',
  '  /wait PT4H   let time pass (ISO-8601 duration): reminders and expiry fire',
  '  /stop        text STOP        /start   text START',
  '  /record      show what has been written to REDCap so far',
  '  /quit        end the session (Ctrl+D too)',
].join('\n');

export function registerChat(program: Command, io: CliIo, setExit: SetExit): void {
  program
    .command('chat')
    .description('Take a survey in the terminal, as a participant would (in memory, fake clock).')
    .requiredOption('--dictionary <file>', 'the data dictionary (Designer CSV or API metadata JSON)')
    .requiredOption('--instrument <name>', 'the instrument to take')
    .option('--record-fixture <file>', 'save the session as a replayable conversation fixture (YAML)')
    .option('--record-id <id>', 'the REDCap record id', '1')
    .option('--phone <e164>', 'the participant\'s phone number', '+15555550100')
    .option('--data <json>', 'the record\'s data before the survey, as JSON (for branching and piping)')
    .option('--settings <json>', 'conversation settings as JSON, e.g. \'{"reminders":["PT4H"],"expiry":"P1D"}\'')
    .option('--now <iso>', 'where the fake clock starts (ISO-8601); default: now')
    .option('--design <file>', 'a longitudinal or repeating project\'s design (YAML or JSON: arms, events, repeating instruments)')
    .option('--event <name>', 'the event the survey is taken in (with --design)')
    .option('--rows <json>', 'the record\'s rows across events and instances, as REDCap exports them (with --design)')
    .action(async (flags: ChatFlags) => {
      const dictionaryPath = resolve(io.cwd, flags.dictionary);
      const survey = loadSurvey(io, dictionaryPath, flags);
      if (survey === undefined) return setExit(EXIT.inputErrors);
      const session = new ChatSession({
        survey, instrument: flags.instrument, recordId: flags.recordId, phone: flags.phone,
        record: { [survey.recordIdField]: flags.recordId, ...recordData(flags.data) },
        start: startTime(flags.now), settings: settingsInput(flags.settings),
        ...placeOption(io, flags, survey),
      });
      try {
        await converse(io, session);
        if (flags.recordFixture !== undefined) await saveFixture(io, session, flags, dictionaryPath);
      } finally {
        await session.close();
      }
      setExit(EXIT.ok);
    });
}

async function converse(io: CliIo, session: ChatSession): Promise<void> {
  io.out(`Fake clock at ${session.now().toISOString()}. /help lists the commands.\n`);
  show(io, await session.begin());
  if (io.stdin === undefined) return;
  for await (const line of createInterface({ input: io.stdin, terminal: false, crlfDelay: Infinity })) {
    if (!(await runLine(io, session, line))) break;
  }
  io.out(`Session ended; conversation ${await session.status()}.\n`);
}

/** Handles one line of input; false ends the session. */
async function runLine(io: CliIo, session: ChatSession, line: string): Promise<boolean> {
  const [command = '', argument = ''] = line.trim().split(/\s+/, 2);
  switch (command.toLowerCase()) {
    case '/quit':
    case '/exit':
      return false;
    case '/help':
      io.out(`${HELP}\n`);
      return true;
    case '/stop':
      return reply(io, session, 'STOP');
    case '/start':
      return reply(io, session, 'START');
    case '/record':
      io.out(`${recordText(session)}\n`);
      return true;
    case '/wait':
      return wait(io, session, argument);
    default:
      if (command.startsWith('/')) io.err(`unknown command ${command}; /help lists them\n`);
      else if (line.trim() !== '') await reply(io, session, line.trim());
      return true;
  }
}

async function reply(io: CliIo, session: ChatSession, body: string): Promise<boolean> {
  show(io, await session.send(body));
  return true;
}

async function wait(io: CliIo, session: ChatSession, duration: string): Promise<boolean> {
  try {
    const texts = await session.wait(duration);
    io.out(`~ ${duration} later: ${session.now().toISOString()}\n`);
    show(io, texts);
  } catch (error) {
    io.err(`${(error as Error).message}\n`);
  }
  return true;
}

/** Each text as the phone shows it: `<` then the text, continuation lines indented. */
function show(io: CliIo, texts: readonly string[]): void {
  for (const text of texts) io.out(`< ${text.replaceAll('\n', '\n  ')}\n`);
}

function recordText(session: ChatSession): string {
  const writes = Object.entries(session.writes());
  if (writes.length === 0) return 'REDCap: nothing written yet';
  return ['REDCap writes so far:', ...writes.map(([field, value]) => `  ${field} = ${JSON.stringify(value)}`)].join('\n');
}

async function saveFixture(io: CliIo, session: ChatSession, flags: ChatFlags, dictionaryPath: string): Promise<void> {
  const file = resolve(io.cwd, flags.recordFixture ?? '');
  const description = `Recorded with redcap-sms chat: ${flags.instrument}, record ${flags.recordId}.`;
  const designPath = flags.design === undefined ? undefined : relative(dirname(file), resolve(io.cwd, flags.design));
  const fixture = await session.fixture(relative(dirname(file), dictionaryPath), description, designPath);
  writeFileSync(file, stringify(fixture, { lineWidth: 0 }));
  io.out(`Saved the session to ${flags.recordFixture ?? file}; replay it with: redcap-sms replay ${flags.recordFixture ?? file}\n`);
}

/** `--design`, `--event` and `--rows`, checked against the dictionary; each needs the design. */
function placeOption(io: CliIo, flags: ChatFlags, survey: Survey): { place?: ChatPlace } {
  if (flags.design === undefined) {
    if (flags.event !== undefined || flags.rows !== undefined) throw new UsageError('--event and --rows need --design, the project\'s events and repeating instruments');
    return {};
  }
  let text: string;
  try {
    text = readFileSync(resolve(io.cwd, flags.design), 'utf8');
  } catch {
    throw new UsageError(`cannot read the design ${flags.design}`);
  }
  const load = parseProjectDesign(text, survey);
  if (!load.ok) throw new UsageError(`the design ${flags.design} has errors:\n  ${load.errors.join('\n  ')}`);
  if (flags.event !== undefined && !load.design.events.some((event) => event.name === flags.event)) {
    throw new UsageError(`--event ${flags.event} is not in the design; it has ${load.design.events.map((event) => event.name).join(', ')}`);
  }
  const rows = flags.rows === undefined ? [] : rowsOption(flags.rows);
  return { place: { design: load.design, rows, ...(flags.event === undefined ? {} : { event: flags.event }) } };
}

function rowsOption(json: string): Record<string, string>[] {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    throw new UsageError('--rows is not valid JSON; give an array of REDCap rows, e.g. \'[{"redcap_event_name":"baseline_arm_1","age":"40"}]\'');
  }
  if (!Array.isArray(data)) throw new UsageError('--rows must be a JSON array of REDCap rows');
  return data.map((row: unknown, index) => {
    if (typeof row !== 'object' || row === null || Array.isArray(row)) throw new UsageError(`--rows: row ${index + 1} must be a JSON object of field values`);
    return flatRow(row, `--rows row ${index + 1}`);
  });
}

function loadSurvey(io: CliIo, path: string, flags: ChatFlags): Survey | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `no such file: ${flags.dictionary}` : `cannot read ${flags.dictionary} (${code ?? 'unknown error'})`);
  }
  const load = parseDictionary(bytes);
  if (load.survey === null) {
    io.err(`error: ${flags.dictionary} has errors; run "redcap-sms dictionary check ${flags.dictionary}" for the list\n`);
    return undefined;
  }
  const names = load.survey.instruments.map((instrument) => instrument.name);
  if (!names.includes(flags.instrument)) {
    throw new UsageError(`no instrument "${flags.instrument}" in ${flags.dictionary}; it has: ${names.join(', ')}`);
  }
  return load.survey;
}

function recordData(text: string | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(jsonObject(text, '--data')).map(([field, value]) => [field, String(value)]));
}

function settingsInput(text: string | undefined): ConversationSettingsInput {
  const input = jsonObject(text, '--settings');
  const check = ConversationSettingsSchema.safeParse(input);
  if (check.success) return input as ConversationSettingsInput;
  throw new UsageError(`--settings: ${check.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ')}`);
}

function jsonObject(text: string | undefined, flag: string): Record<string, unknown> {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`${flag} must be a JSON object, e.g. '{"age":"42"}'`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new UsageError(`${flag} must be a JSON object`);
  return value as Record<string, unknown>;
}

function startTime(now: string | undefined): string {
  if (now === undefined) return new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
  if (Number.isNaN(Date.parse(now))) throw new UsageError(`--now must be an ISO-8601 time like 2026-03-02T15:00:00Z, not "${now}"`);
  return now;
}
