/**
 * What `logic eval` evaluates against: one row (`--data '{…}'`, as before), or the whole record across
 * events and repeat instances as REDCap exports it (`--data '[{…},{…}]'`), placed by `--event`,
 * `--instrument` and `--instance`, with the project's design from `--design file.yaml`. Every problem is
 * a usage error that says what to change.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseProjectDesign } from '../../config/project-design-file.js';
import { repeatInstrumentOf, type ProjectDesign } from '../../dictionary/project-design.js';
import type { Survey } from '../../dictionary/model.js';
import type { EvalContext, RecordData } from '../../logic/index.js';
import { UsageError } from '../io.js';

export interface PlaceOptions {
  event?: string;
  instrument?: string;
  instance?: string;
  design?: string;
}

/** The record: the row being evaluated, and with rows, the rest of the record and where the row sits. */
export type RecordInput = Pick<EvalContext, 'record'> & Partial<Pick<EvalContext, 'rows' | 'design' | 'instance' | 'repeatInstrument' | 'instrument'>>;

export function recordInput(json: string, options: PlaceOptions, survey: Survey | undefined, cwd: string): RecordInput {
  const data = parseJson(json);
  const design = options.design === undefined ? undefined : loadDesign(options.design, survey, cwd);
  const instance = instanceOption(options.instance);
  const withInstrument = options.instrument === undefined ? {} : { instrument: options.instrument };
  if (!Array.isArray(data)) {
    if (typeof data !== 'object' || data === null) {
      throw new UsageError('--data must be a JSON object of field values, or an array of REDCap rows (one per event and instance)');
    }
    return { record: flatRow(data, '--data'), ...withInstrument, ...(design === undefined ? {} : { design }), ...(instance === undefined ? {} : { instance }) };
  }
  const rows = data.map((item, index) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw new UsageError(`--data: row ${index + 1} must be a JSON object of field values`);
    return flatRow(item, `--data row ${index + 1}`);
  });
  checkEvents(rows, options.event, design);
  const repeatInstrument = repeatOf(options, design, rows, instance);
  const record = currentRow(rows, options.event, repeatInstrument, instance);
  return {
    record, rows, ...withInstrument, ...(design === undefined ? {} : { design }),
    ...(instance === undefined ? {} : { instance }), ...(repeatInstrument === undefined ? {} : { repeatInstrument }),
  };
}

function parseJson(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    throw new UsageError('--data is not valid JSON; give the record as an object, e.g. \'{"age":"20"}\', or an array of REDCap rows');
  }
}

/** One row of field values from JSON: text or numbers, keys lower-cased; anything else is a usage error naming `where`. */
export function flatRow(data: object, where: string): RecordData {
  const record: RecordData = {};
  for (const [key, value] of Object.entries(data)) {
    if (value !== null && typeof value === 'object') throw new UsageError(`${where}: the value of "${key}" must be text or a number`);
    record[key.toLowerCase()] = value === null ? '' : String(value);
  }
  return record;
}

function instanceOption(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const instance = Number(text);
  if (!Number.isInteger(instance) || instance < 1) throw new UsageError('--instance must be a whole number from 1');
  return instance;
}

function loadDesign(file: string, survey: Survey | undefined, cwd: string): ProjectDesign {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, file), 'utf8');
  } catch {
    throw new UsageError(`cannot read the design ${file}`);
  }
  const load = parseProjectDesign(text, survey);
  if (!load.ok) throw new UsageError(`the design ${file} has errors:\n  ${load.errors.join('\n  ')}`);
  return load.design;
}

/** Rows that name events need `--event`, and with a design every event they name must be one of its events. */
function checkEvents(rows: readonly RecordData[], event: string | undefined, design: ProjectDesign | undefined): void {
  const named = [...new Set(rows.map((r) => r.redcap_event_name ?? '').filter((name) => name !== ''))];
  if (named.length > 0 && event === undefined) throw new UsageError(`--event is needed: the rows are in events ${named.join(', ')}`);
  if (design === undefined || design.events.length === 0) return;
  const known = new Set(design.events.map((e) => e.name));
  const unknown = [...named, ...(event === undefined ? [] : [event])].find((name) => !known.has(name));
  if (unknown !== undefined) throw new UsageError(`the event ${unknown} is not in the design; it has ${[...known].join(', ')}`);
}

/** Which repeating form (or '' for a repeating event) `--instance` is an instance of. */
function repeatOf(options: PlaceOptions, design: ProjectDesign | undefined, rows: readonly RecordData[], instance: number | undefined): string | undefined {
  if (instance === undefined) return undefined;
  const event = options.event;
  if (design !== undefined && options.instrument !== undefined) {
    const repeat = repeatInstrumentOf(design, event, options.instrument);
    if (repeat === undefined) throw new UsageError(`--instance: ${options.instrument} does not repeat${event === undefined ? '' : ` in ${event}`} in the design`);
    return repeat;
  }
  if (options.instrument !== undefined) return options.instrument;
  const repeatingEvent = rows.some((r) => (r.redcap_event_name ?? '') === (event ?? '') && (r.redcap_repeat_instrument ?? '') === '' && (r.redcap_repeat_instance ?? '') !== '');
  if (repeatingEvent) return '';
  throw new UsageError('--instance with rows needs --instrument, the repeating instrument the instance belongs to');
}

/** The row being evaluated: its instance's row over the event's own row (a survey page sees both). */
function currentRow(rows: readonly RecordData[], event: string | undefined, repeat: string | undefined, instance: number | undefined): RecordData {
  const inEvent = rows.filter((r) => (r.redcap_event_name ?? '') === (event ?? ''));
  const base = inEvent.find((r) => (r.redcap_repeat_instance ?? '') === '') ?? {};
  if (repeat === undefined || instance === undefined) return { ...base };
  const own = inEvent.find((r) => (r.redcap_repeat_instrument ?? '') === repeat && r.redcap_repeat_instance === String(instance)) ?? {};
  return { ...base, ...own };
}
