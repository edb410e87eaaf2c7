/**
 * `redcap-sms logic eval "<expression>" --data '<record json>' [--dictionary file] [--now ISO] [--timezone Zone]`:
 * evaluate REDCap logic the way a survey would, so a study team can debug a branching rule.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { emptyTags } from '../../dictionary/action-tags.js';
import { checkboxExportName, parseDictionary } from '../../dictionary/index.js';
import type { Field, Survey } from '../../dictionary/model.js';
import { fieldReferences } from '../../logic/ast.js';
import { compileLogic, parseLogic, toText, type EvalContext, type Expr, type Value } from '../../logic/index.js';
import { EXIT, UsageError, type CliIo } from '../io.js';
import { recordInput } from './logic-eval-record.js';
import type { SetExit } from '../set-exit.js';

interface EvalOptions {
  data: string;
  dictionary?: string;
  now?: string;
  timezone?: string;
  record?: string;
  event?: string;
  instance?: string;
  instrument?: string;
  design?: string;
}

export function registerLogicEval(program: Command, io: CliIo, setExit: SetExit): void {
  const group = program.commands.find((command) => command.name() === 'logic')
    ?? program.command('logic').description('Work with REDCap logic (branching, calculations).');
  group
    .command('eval')
    .description('Evaluate a REDCap logic expression against one record.')
    .argument('<expression>', "the logic, e.g. \"[age] >= 18 and [consent] = '1'\"")
    .option('--data <json>', 'the record as flat JSON, e.g. \'{"age":"20","cb___1":"1"}\', or an array of REDCap rows (redcap_event_name, redcap_repeat_instrument, redcap_repeat_instance) for logic across events and instances', '{}')
    .option('--design <file>', 'the project\'s arms, events and repeating instruments (YAML or JSON), for [previous-event-name] and the like')
    .option('--instrument <name>', 'the instrument being filled in (the repeating instrument --instance belongs to)')
    .option('--dictionary <file>', 'a data dictionary (CSV or API JSON) whose fields the logic must name')
    .option('--now <iso>', 'the time for today/now, e.g. 2024-03-10T15:04:05Z (default: the clock)')
    .option('--timezone <zone>', 'IANA time zone for today/now (default: $TIMEZONE or UTC)')
    .option('--record <id>', 'the value of [record-name]')
    .option('--event <name>', 'the event being filled in: [event-name]')
    .option('--instance <n>', 'the repeat instance being filled in: [current-instance]')
    .action((expression: string, options: EvalOptions) => {
      setExit(evaluateCommand(expression, options, io));
    });
}

function evaluateCommand(expression: string, options: EvalOptions, io: CliIo): number {
  const context = evalContextOptions(options, io);
  const parsed = parseLogic(expression);
  if (!parsed.ok) return failAt(io, expression, parsed.error.position, parsed.error.message);
  const survey = options.dictionary === undefined ? adHocSurvey(expression, parsed.expr, options.instrument) : loadSurvey(options.dictionary, io);
  if (survey === null) return EXIT.inputErrors;
  const record = recordInput(options.data, options, options.dictionary === undefined ? undefined : survey, io.cwd);
  const known = new Set(survey.fields.map((field) => field.name));
  const unknown = fieldReferences(parsed.expr).find((ref) => !known.has(ref.name));
  if (unknown !== undefined) return failAt(io, expression, unknown.pos, `[${unknown.name}] is not a field of the dictionary`);
  const compiled = compileLogic(expression, survey);
  if (!compiled.ok) return failAt(io, expression, compiled.error.position, compiled.error.message);
  io.out(`${describeValue(compiled.evaluate({ survey, ...context, ...record }))}\n`);
  return EXIT.ok;
}

function evalContextOptions(options: EvalOptions, io: CliIo): Omit<EvalContext, 'survey' | 'record'> {
  const now = options.now === undefined ? new Date() : new Date(options.now);
  if (Number.isNaN(now.getTime())) throw new UsageError(`--now "${options.now}" is not an ISO date-time such as 2024-03-10T15:04:05Z`);
  const timeZone = options.timezone ?? io.env['TIMEZONE'] ?? 'UTC';
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new UsageError(`--timezone "${timeZone}" is not an IANA time zone such as Europe/London`);
  }
  const context: Omit<EvalContext, 'survey' | 'record'> = { now, timeZone };
  if (options.record !== undefined) context.recordId = options.record;
  if (options.event !== undefined) context.event = options.event;
  return context;
}

/**
 * Without a dictionary every field the logic names is a text field, or a checkbox if it uses `(code)`, on
 * the `--instrument` form (so instance qualifiers apply to it).
 */
function adHocSurvey(expression: string, expr: Expr, form = 'adhoc'): Survey {
  const codes = new Map<string, Set<string>>();
  for (const ref of fieldReferences(expr)) {
    const set = codes.get(ref.name) ?? new Set<string>();
    if (ref.code !== undefined) set.add(ref.code);
    codes.set(ref.name, set);
  }
  const fields = [...codes].map(([name, options]): Field => ({
    name, form, type: options.size > 0 ? 'checkbox' : 'text', label: name, note: '', sectionHeader: '',
    choices: [...options].map((code) => ({ code, label: code })),
    checkboxExports: [...options].map((code) => ({ code, exportName: checkboxExportName(name, code) })),
    validation: null, min: null, max: null, required: false, identifier: false, branching: null, matrix: null,
    questionNumber: null, annotation: '', tags: emptyTags(), formStatus: false, source: {},
  }));
  return { id: `adhoc:${expression}`, recordIdField: fields[0]?.name ?? 'record_id', instruments: [], fields };
}

function loadSurvey(file: string, io: CliIo): Survey | null {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(resolve(io.cwd, file));
  } catch {
    throw new UsageError(`cannot read the dictionary ${file}`);
  }
  const load = parseDictionary(bytes);
  if (load.survey === null) {
    io.err(`error: the dictionary ${file} does not load:\n`);
    for (const d of load.diagnostics.filter((diagnostic) => diagnostic.severity === 'error')) {
      io.err(`  ${d.line !== undefined ? `line ${d.line}: ` : ''}${d.message}\n`);
    }
  }
  return load.survey;
}

/** The error, then the line of the expression holding the position with a caret under it. */
function failAt(io: CliIo, expression: string, position: number, message: string): number {
  const lineStart = expression.lastIndexOf('\n', position - 1) + 1;
  const lineEnd = expression.indexOf('\n', position);
  const line = expression.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
  io.err(`error: ${message} (at character ${position + 1})\n  ${line}\n  ${' '.repeat(position - lineStart)}^\n`);
  return EXIT.inputErrors;
}

function describeValue(value: Value): string {
  if (typeof value === 'boolean') return String(value);
  const text = toText(value);
  return text === '' ? '(blank)' : text;
}
