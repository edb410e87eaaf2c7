/**
 * Checks an import the way REDCap does before it writes anything: the whole import is refused when a
 * column is not a real data field, and every bad value becomes a `record, field, value, message` problem.
 * Nothing is written unless every row passes.
 */
import type { RowKey } from './record-store.js';
import { eventLabel, isDesignated, isRepeating, isRepeatingEvent, type EmulatedProject } from './project.js';
import { valueProblem } from './values.js';

export interface ProblemLine {
  record: string;
  field: string;
  value: string;
  message: string;
}

export interface PlannedWrite {
  key: RowKey;
  values: Record<string, string>;
}

export type ImportPlan =
  | { kind: 'ok'; writes: PlannedWrite[]; records: string[] }
  | { kind: 'rejected'; message: string }
  | { kind: 'problems'; problems: ProblemLine[] };

type Row = Record<string, string>;

const EVENT = 'redcap_event_name';
const REPEAT_INSTRUMENT = 'redcap_repeat_instrument';
const REPEAT_INSTANCE = 'redcap_repeat_instance';

export function planImport(project: EmulatedProject, data: unknown, existing: (key: Omit<RowKey, 'instance'>, planned: RowKey[]) => number): ImportPlan {
  const rows = asRows(data);
  if (!rows) return { kind: 'rejected', message: 'The data being imported is not formatted correctly: expected a JSON array of objects' };
  const unknown = unknownColumns(project, rows);
  if (unknown.length > 0) {
    return { kind: 'rejected', message: `The following fields were not found in the project as real data fields: ${unknown.join(', ')}` };
  }
  const problems: ProblemLine[] = [];
  const writes: PlannedWrite[] = [];
  for (const row of rows) {
    const planned = planRow(project, row, (key) => existing(key, writes.map((w) => w.key)));
    problems.push(...planned.problems);
    if (planned.write) writes.push(planned.write);
  }
  if (problems.length > 0) return { kind: 'problems', problems };
  return { kind: 'ok', writes, records: [...new Set(writes.map((w) => w.key.record))] };
}

function asRows(data: unknown): Row[] | undefined {
  if (!Array.isArray(data)) return undefined;
  const rows: Row[] = [];
  for (const item of data) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return undefined;
    const row: Row = {};
    for (const [key, value] of Object.entries(item as Record<string, unknown>)) {
      if (value !== null && typeof value === 'object') return undefined;
      row[key] = value === null || value === undefined ? '' : String(value);
    }
    rows.push(row);
  }
  return rows;
}

function systemColumns(project: EmulatedProject): Set<string> {
  const columns = new Set<string>();
  if (project.longitudinal) columns.add(EVENT);
  if (project.repeating.length > 0) [REPEAT_INSTRUMENT, REPEAT_INSTANCE].forEach((c) => columns.add(c));
  return columns;
}

function unknownColumns(project: EmulatedProject, rows: readonly Row[]): string[] {
  const system = systemColumns(project);
  const names = new Set(rows.flatMap((row) => Object.keys(row)));
  return [...names].filter((name) => !project.columns.has(name) && !system.has(name));
}

interface RowPlan {
  problems: ProblemLine[];
  write?: PlannedWrite;
}

function planRow(project: EmulatedProject, row: Row, nextInstance: (key: Omit<RowKey, 'instance'>) => number): RowPlan {
  const recordField = project.survey.recordIdField;
  const record = (row[recordField] ?? '').trim();
  const problem = (field: string, message: string): ProblemLine => ({ record, field, value: row[field] ?? '', message });
  if (record === '') return { problems: [problem(recordField, 'The record ID is missing')] };
  const located = locateRow(project, row, record, nextInstance);
  if ('column' in located) return { problems: [problem(located.column, located.message)] };
  const key = located;
  const values: Record<string, string> = {};
  const problems: ProblemLine[] = [];
  for (const [column, value] of Object.entries(row)) {
    const target = project.columns.get(column);
    if (!target || column === recordField) continue;
    values[column] = value;
    if (value === '') continue;
    const message = placementProblem(project, target.field.form, column, key) ?? valueProblem(target.field, value, target.checkboxCode);
    if (message) problems.push(problem(column, message));
  }
  return problems.length > 0 ? { problems } : { problems, write: { key, values } };
}

/** The row's place: its event and repeat instance (`new` numbered here), or the system column that is wrong. */
function locateRow(
  project: EmulatedProject, row: Row, record: string, nextInstance: (key: Omit<RowKey, 'instance'>) => number,
): RowKey | { column: string; message: string } {
  const event = row[EVENT] ?? '';
  const eventProblem = checkEvent(project, event);
  if (eventProblem) return { column: EVENT, message: eventProblem };
  const repeatInstrument = row[REPEAT_INSTRUMENT] ?? '';
  const instance = (row[REPEAT_INSTANCE] ?? '').trim();
  if (repeatInstrument === '' && isRepeatingEvent(project, event)) {
    if (instance === '') return { column: REPEAT_INSTANCE, message: REPEATING_EVENT_NEEDS_INSTANCE };
  } else if (repeatInstrument === '') {
    return instance === '' ? { record, event, repeatInstrument, instance: 0 } : { column: REPEAT_INSTANCE, message: NO_INSTRUMENT };
  } else if (!isRepeating(project, repeatInstrument, event) || !isDesignated(project, repeatInstrument, event)) {
    return { column: REPEAT_INSTRUMENT, message: 'The value is not a repeating instrument on this event' };
  }
  if (instance === 'new') return { record, event, repeatInstrument, instance: nextInstance({ record, event, repeatInstrument }) };
  if (/^[1-9]\d*$/.test(instance)) return { record, event, repeatInstrument, instance: Number(instance) };
  return { column: REPEAT_INSTANCE, message: 'The value must be a positive whole number or "new"' };
}

const NO_INSTRUMENT = 'redcap_repeat_instance is set but redcap_repeat_instrument is blank and this event does not repeat';
// REDCap's own answer to a blank instance on a repeating event is not documented; refusing it names the fix (decision 0056).
const REPEATING_EVENT_NEEDS_INSTANCE = 'This event repeats: give redcap_repeat_instance (a positive whole number or "new") with redcap_repeat_instrument blank';

function checkEvent(project: EmulatedProject, event: string): string | undefined {
  if (!project.longitudinal) return undefined; // a classic project refused the column as an unknown field already
  if (event === '') return 'The redcap_event_name is missing; a longitudinal project needs the unique event name on every row';
  if (!project.events.some((e) => e.unique_event_name === event)) return 'The value is not a valid unique event name';
  return undefined;
}

/** Why a field's form may not hold data in this row: not on the event, or on the wrong side of repeating. */
function placementProblem(project: EmulatedProject, form: string, column: string, key: RowKey): string | undefined {
  if (!isDesignated(project, form, key.event)) {
    return `This field ('${column}') exists on an instrument that is not designated for the event named '${eventLabel(project, key.event)}'. You are not allowed to import data for this field into this event.`;
  }
  if (key.repeatInstrument !== '' && form !== key.repeatInstrument) {
    return `This field is not on the repeating instrument '${key.repeatInstrument}' named in redcap_repeat_instrument`;
  }
  if (key.repeatInstrument === '' && isRepeating(project, form, key.event)) {
    return `This field is on the repeating instrument '${form}': give redcap_repeat_instrument and redcap_repeat_instance`;
  }
  return undefined;
}
