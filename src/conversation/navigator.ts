import { askOrder, fieldMap, isComputed, silentReason, smsAskability, surveyEmbedding } from '../dictionary/index.js';
import type { ActionTags, Field, Instrument, Survey } from '../dictionary/model.js';
import { hasNoAnswer, prefillValues } from '../answers/index.js';
import { surveyLogic, type EvalContext, type RecordData, type SurveyLogic } from '../logic/index.js';
import type { ConversationPlace } from './context.js';

/** Where the survey goes next from some field, and what REDCap must store on the way there. */
export type Next = (
  | { kind: 'ask'; field: Field; tags: ActionTags; lead: string[] }
  | { kind: 'end' }
  /** More fields passed over than the skip cap allows: a looping or broken survey, stop and flag. */
  | { kind: 'stuck' }
) & {
  /** What the walk computed or filled in (calculations, @SETVALUE, @DEFAULT…), to write to REDCap. */
  writes: RecordData;
  /** The record after the step: the position's record, the answers given, and `writes`. */
  record: RecordData;
};

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

/** Whether the participant is asked this field by text (the rules `dictionary check` counts with). */
function isAsked(field: Field, tags: ActionTags, recordIdField: string): boolean {
  return silentReason(field, tags, recordIdField) === undefined && smsAskability(field).askable;
}

/**
 * Recomputes every calculated field of the instrument against the record, as REDCap does when a
 * survey page is saved, and returns only the values that changed.
 */
export function recalculate(position: Omit<Position, 'skipCap'>): RecordData {
  return recalculateInto(position, { ...position.record });
}

/** The same, computing into `record`, which it updates: the caller's own copy of the record. */
function recalculateInto(position: Omit<Position, 'skipCap'>, record: RecordData): RecordData {
  const logic = surveyLogic(position.survey);
  // One context for the whole pass: it holds `record` itself, so each value computed is seen by the next.
  const context = evalContext(position, record);
  const writes: RecordData = {};
  for (const field of computableFields(position.survey, position.instrument)) {
    const tags = logic.effectiveTags(field.name, context);
    if (!isComputed(field, tags)) continue;
    const value = logic.calcValue(field.name, context);
    if (value !== (record[field.name] ?? '')) {
      record[field.name] = value;
      writes[field.name] = value;
    }
  }
  return writes;
}

const computable = new WeakMap<Instrument, readonly Field[]>();

/**
 * The instrument's fields that can hold a calculation (calc, @CALCTEXT, @CALCDATE, also under an @IF),
 * in order, found once per survey version: recalculating walks these, not every field of the instrument,
 * so a text costs no more on a long instrument with few calculations (issue 28).
 */
function computableFields(survey: Survey, instrument: Instrument): readonly Field[] {
  let fields = computable.get(instrument);
  if (fields === undefined) {
    fields = instrument.fields.map((name) => fieldOf(survey, name)).filter((field) => field.type === 'calc' || mayCalculate(field.tags));
    computable.set(instrument, fields);
  }
  return fields;
}

function mayCalculate(tags: ActionTags): boolean {
  return tags.calcText !== undefined || tags.calcDate !== undefined || tags.ifs.some((branch) => mayCalculate(branch.whenTrue) || mayCalculate(branch.whenFalse));
}

/**
 * Walks forward from `after` (exclusive; null = the top), with the answers `given` in this step, to the
 * next question a participant can answer by text, skipping fields hidden by branching, descriptive text (kept as lead-in for the next
 * prompt), calculations and silent fields, and filling @SETVALUE/@DEFAULT/@NOW/@TODAY on the silent
 * fields it passes. Embedded fields come right after their host (`askOrder`, decision 0047).
 */
export function nextQuestion(position: Position, after: string | null, given: RecordData = {}): Next {
  const logic = surveyLogic(position.survey);
  const record = copyRecord(position.record, given);
  const writes = recalculateInto(position, record);
  const names = askOrder(position.survey, position.instrument);
  const start = after === null ? 0 : positionIn(names, after) + 1;
  const lead: string[] = [];
  const matrixHeader = new MatrixHeader();
  let passed = 0;
  for (let at = start; at < names.length; at += 1) {
    const name = names[at]!;
    const field = fieldOf(position.survey, name);
    if (field.formStatus) return { kind: 'end', writes, record };
    if (++passed > position.skipCap) return { kind: 'stuck', writes, record };
    const context = evalContext(position, record);
    matrixHeader.reach(field);
    if (!logic.isShown(name, context) || !hostsShown(position.survey, logic, name, context)) continue;
    const tags = logic.effectiveTags(name, context);
    if (field.type === 'descriptive') {
      if (!tags.hidden && !tags.hiddenSurvey) lead.push(...nonBlank(field.sectionHeader, field.label));
      continue;
    }
    // An asked field's default is only offered: it is written when the participant keeps it (SKIP).
    if (isAsked(field, tags, position.survey.recordIdField)) return { kind: 'ask', field, tags, lead: [...lead, ...nonBlank(matrixHeader.take(field) ?? field.sectionHeader)], writes, record };
    fillIn(prefillFor(field, logic, context), record, writes);
  }
  return { kind: 'end', writes, record };
}

/**
 * The step's one copy of the record, with `given` on top, handed back as the record after the step.
 * Past 127 keys V8 keeps a parsed record as a dictionary, and spreading one (`{ ...record, ...given }`)
 * cost twice this loop: at 300 answers more than the rest of the step together (issue 28).
 */
function copyRecord(record: RecordData, given: RecordData): RecordData {
  const copy: RecordData = {};
  for (const name in record) copy[name] = record[name]!;
  for (const name in given) copy[name] = given[name]!;
  return copy;
}

const fieldPositions = new WeakMap<readonly string[], ReadonlyMap<string, number>>();

/** Where a field sits in an instrument's ask order (-1 when it is not there), from a map built once per order. */
function positionIn(order: readonly string[], name: string): number {
  let positions = fieldPositions.get(order);
  if (positions === undefined) {
    positions = new Map(order.map((field, at) => [field, at]));
    fieldPositions.set(order, positions);
  }
  return positions.get(name) ?? -1;
}

/**
 * An embedded field is hidden with its host (decision 0047): every host up the chain must be shown by
 * branching and not hidden by @HIDDEN/@HIDDEN-SURVEY.
 */
function hostsShown(survey: Survey, logic: SurveyLogic, name: string, context: EvalContext): boolean {
  const { hostOf } = surveyEmbedding(survey);
  for (let host = hostOf.get(name); host !== undefined; host = hostOf.get(host)) {
    const tags = logic.effectiveTags(host, context);
    if (!logic.isShown(host, context) || tags.hidden || tags.hiddenSurvey) return false;
  }
  return true;
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
