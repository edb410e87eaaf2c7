import { fieldMap, smsAskability } from '../dictionary/index.js';
import type { ActionTags, Field, Instrument, Survey } from '../dictionary/model.js';
import { hasNoAnswer, prefillValues } from '../answers/index.js';
import { surveyLogic, type EvalContext, type RecordData, type SurveyLogic } from '../logic/index.js';
import type { ConversationPlace } from './context.js';

/** Where the survey goes next from some field, and what REDCap must store on the way there. */
export type Next =
  | { kind: 'ask'; field: Field; tags: ActionTags; lead: string[]; writes: RecordData }
  | { kind: 'end'; writes: RecordData }
  /** More fields passed over than the skip cap allows: a looping or broken survey, stop and flag. */
  | { kind: 'stuck'; writes: RecordData };

export interface Position {
  survey: Survey;
  instrument: Instrument;
  record: RecordData;
  recordId: string;
  now: Date;
  /** The participant's zone. */
  timeZone: string;
  /** The project's zone, standing in for REDCap's server clock. */
  serverTimeZone: string;
  /** The project's survey titles by instrument. */
  surveyTitles: Readonly<Record<string, string>>;
  /** The event, repeat instance, design and other rows of a longitudinal or repeating project. */
  place?: ConversationPlace | undefined;
  skipCap: number;
}

export function evalContext(position: Omit<Position, 'skipCap'>, record: RecordData = position.record): EvalContext {
  const context: EvalContext = {
    survey: position.survey,
    record,
    now: position.now,
    timeZone: position.timeZone,
    serverTimeZone: position.serverTimeZone,
    recordId: position.recordId,
    instrument: position.instrument.name,
    surveyTitles: position.surveyTitles,
  };
  const place = position.place ?? {};
  if (place.event !== undefined) {
    context.event = place.event.name;
    context.eventDetails = place.event;
  }
  if (place.repeat !== undefined) {
    context.instance = place.repeat.instance;
    context.repeatInstrument = place.repeat.instrument;
  }
  if (place.design !== undefined) context.design = place.design;
  if (place.rows !== undefined) context.rows = place.rows;
  return context;
}

export function instrumentOf(survey: Survey, name: string): Instrument {
  const instrument = survey.instruments.find((candidate) => candidate.name === name);
  if (instrument === undefined) throw new Error(`instrument ${name} is not in survey ${survey.id}`);
  return instrument;
}

export function fieldOf(survey: Survey, name: string): Field {
  const field = fieldMap(survey).get(name);
  if (field === undefined) throw new Error(`field ${name} is not in survey ${survey.id}`);
  return field;
}

function isComputed(field: Field, tags: ActionTags): boolean {
  return field.type === 'calc' || tags.calcText !== undefined || tags.calcDate !== undefined;
}

/** Fields a participant never sees by text: hidden, read-only, stamped by @NOW/@TODAY, or unaskable. */
function isSilent(field: Field, tags: ActionTags): boolean {
  return tags.hidden || tags.hiddenSurvey || tags.readonly || tags.now || tags.today || !smsAskability(field).askable;
}

/**
 * Recomputes every calculated field of the instrument against the record, as REDCap does when a
 * survey page is saved, and returns only the values that changed.
 */
export function recalculate(position: Omit<Position, 'skipCap'>): RecordData {
  const logic = surveyLogic(position.survey);
  const record = { ...position.record };
  // One context for the whole pass: it holds `record` itself, so each value computed is seen by the next.
  const context = evalContext(position, record);
  const writes: RecordData = {};
  for (const name of position.instrument.fields) {
    const field = fieldOf(position.survey, name);
    const tags = logic.effectiveTags(name, context);
    if (!isComputed(field, tags)) continue;
    const value = logic.calcValue(name, context);
    if (value !== (record[name] ?? '')) {
      record[name] = value;
      writes[name] = value;
    }
  }
  return writes;
}

/**
 * Walks forward from `after` (exclusive; null = the top) to the next question a participant can
 * answer by text, skipping fields hidden by branching, descriptive text (kept as lead-in for the next
 * prompt), calculations and silent fields, and filling @SETVALUE/@DEFAULT/@NOW/@TODAY on the silent
 * fields it passes.
 */
export function nextQuestion(position: Position, after: string | null): Next {
  const logic = surveyLogic(position.survey);
  const record = { ...position.record };
  const writes = recalculate(position);
  Object.assign(record, writes);
  const names = position.instrument.fields;
  const start = after === null ? 0 : names.indexOf(after) + 1;
  const lead: string[] = [];
  const matrixHeader = new MatrixHeader();
  let passed = 0;
  for (const name of names.slice(start)) {
    const field = fieldOf(position.survey, name);
    if (field.formStatus) return { kind: 'end', writes };
    if (++passed > position.skipCap) return { kind: 'stuck', writes };
    const context = evalContext(position, record);
    matrixHeader.reach(field);
    if (!logic.isShown(name, context)) continue;
    const tags = logic.effectiveTags(name, context);
    if (field.type === 'descriptive') {
      if (!tags.hidden && !tags.hiddenSurvey) lead.push(...nonBlank(field.sectionHeader, field.label));
      continue;
    }
    // An asked field's default is only offered: it is written when the participant keeps it (SKIP).
    const asked = name !== position.survey.recordIdField && !isComputed(field, tags) && !isSilent(field, tags);
    if (asked) return { kind: 'ask', field, tags, lead: [...lead, ...nonBlank(matrixHeader.take(field) ?? field.sectionHeader)], writes };
    fillIn(prefillFor(field, logic, context), record, writes);
  }
  return { kind: 'end', writes };
}

/**
 * What @SETVALUE (every time) or @DEFAULT (only while the field has no answer) put in a field reached
 * now, as stored values; undefined when neither applies.
 */
function prefillFor(field: Field, logic: SurveyLogic, context: EvalContext): RecordData | undefined {
  const set = logic.setValue(field.name, context);
  if (set !== undefined) return prefillValues(field, set);
  if (!hasNoAnswer(field, context.record)) return undefined;
  const value = logic.defaultValue(field.name, context);
  return value === undefined || value === '' ? undefined : prefillValues(field, value);
}

/**
 * The answer REDCap would show already filled in for the field being asked (@SETVALUE, or @DEFAULT
 * while the record has none), as stored values; undefined when there is none (decision 0045).
 */
export function prefilledAnswer(position: Omit<Position, 'skipCap'>, name: string): RecordData | undefined {
  return prefillFor(fieldOf(position.survey, name), surveyLogic(position.survey), evalContext(position));
}

function fillIn(values: RecordData | undefined, record: RecordData, writes: RecordData): void {
  if (values === undefined) return;
  const changed = changedValues(record, values);
  Object.assign(record, changed);
  Object.assign(writes, changed);
}

/**
 * A matrix's header sits on its first row and is sent once, with the first row asked. When that row is
 * hidden (branching, @HIDDEN), the header goes with the next row of the group that is asked.
 */
class MatrixHeader {
  private carried: { group: string; header: string } | undefined;

  reach(field: Field): void {
    const group = field.matrix?.group;
    if (group === undefined || (this.carried !== undefined && this.carried.group !== group)) this.carried = undefined;
    if (group !== undefined && field.sectionHeader.trim() !== '') this.carried = { group, header: field.sectionHeader };
  }

  /** The header for this row of the matrix, if the row is the first one asked; it is handed out once. */
  take(field: Field): string | undefined {
    const header = this.carried?.header;
    this.carried = undefined;
    return field.sectionHeader.trim() === '' ? header : field.sectionHeader;
  }
}

function nonBlank(...texts: string[]): string[] {
  return texts.filter((text) => text.trim() !== '');
}

/** The fields of `fields` whose value differs from the record: no point writing what REDCap already has. */
export function changedValues(record: RecordData, values: RecordData): RecordData {
  return Object.fromEntries(Object.entries(values).filter(([name, value]) => (record[name] ?? '') !== value));
}
