import type { ProjectDesign } from '../dictionary/project-design.js';
import type { EventDetails, RecordData } from '../logic/index.js';

/**
 * Where a conversation sits in a longitudinal or repeating project, and the record around it, so branching
 * and piping can read other events and instances (`[event_1_arm_1][x]`, `[x][previous-instance]`). All
 * optional: a classic project's conversation has none of it, and snapshots stored before it restore as such.
 */
export interface ConversationPlace {
  /** The event, with what the shell knows of it. */
  event?: EventDetails;
  /** The repeat instance the answers go to: the repeating instrument (`''` for a repeating event) and its number. */
  repeat?: { instrument: string; instance: number };
  /** The project's arms, events and repeating instruments. */
  design?: ProjectDesign;
  /** The record's rows as REDCap exported them at invitation (blank values left out); this conversation's own row is `record`. */
  rows?: RecordData[];
}

/**
 * Everything a conversation remembers between texts. JSON only (no Dates, no class instances), because
 * it is persisted inside the XState snapshot and restored for every step.
 */
export interface ConversationContext extends ConversationPlace {
  phone: string;
  instrument: string;
  recordId: string;
  /** The record as this conversation knows it: the data at invitation plus every value it wrote. */
  record: RecordData;
  /** The field being asked, or null before the first question and after the last. */
  current: string | null;
  /** Fields answered or skipped, oldest first, so BACK can walk back through them. */
  answered: string[];
  /** Values outside the soft range, kept until the participant confirms them with YES. */
  pending: RecordData | null;
  /** Times (ISO) of recent invalid replies, for the loop guard. */
  invalidAt: string[];
  /** True once the first answer wrote `{form}_complete = 0`. */
  started: boolean;
  /** Invited in `reply-to-begin` mode and not yet begun. */
  awaitingStart: boolean;
  finished: boolean;
  paused: boolean;
  /** Bumped whenever timers are rescheduled; a timer set for an older revision is stale. */
  timerRevision: number;
  /** The language the participant reads (an MLM language id); absent for the dictionary's own. */
  language?: string;
}

/**
 * What one step changed of the two parts of a context that grow with the answers given, so the store can
 * write those changes alone instead of the whole record (issue 28, decision 0069). Said by the operations
 * that make the changes, never found by comparing records.
 */
export interface ContextChanges {
  /** Values the step put in the record (unchanged ones may be among them); every other value is as it was. */
  record: RecordData;
  /** The first position of `answered` the step rewrote (later ones too, and the list may be shorter); null: untouched. */
  answered: number | null;
}

export const NO_CONTEXT_CHANGES: ContextChanges = Object.freeze({ record: Object.freeze({}), answered: null }) as ContextChanges;

/** Two steps' changes as one: the record's values in order, the earlier first position of `answered`. */
export function mergeContextChanges(first: ContextChanges, then: ContextChanges): ContextChanges {
  if (then === NO_CONTEXT_CHANGES) return first;
  if (first === NO_CONTEXT_CHANGES) return then;
  const answered = first.answered === null ? then.answered : then.answered === null ? first.answered : Math.min(first.answered, then.answered);
  return { record: { ...first.record, ...then.record }, answered };
}

/** What an invitation needs to know to start a conversation. */
export interface ConversationStart extends ConversationPlace {
  phone: string;
  instrument: string;
  recordId: string;
  record: RecordData;
  /** The language the conversation starts in, already decided (invitation, record field or default). */
  language?: string;
}

export function initialContext(start: ConversationStart): ConversationContext {
  return {
    ...placeOf(start),
    ...(start.language === undefined ? {} : { language: start.language }),
    phone: start.phone,
    instrument: start.instrument,
    recordId: start.recordId,
    record: { ...start.record },
    current: null,
    answered: [],
    pending: null,
    invalidAt: [],
    started: false,
    awaitingStart: false,
    finished: false,
    paused: false,
    timerRevision: 0,
  };
}

/** The place fields that are set, copied (a stored snapshot never shares objects with its input). */
export function placeOf(place: ConversationPlace): ConversationPlace {
  return {
    ...(place.event === undefined ? {} : { event: { ...place.event } }),
    ...(place.repeat === undefined ? {} : { repeat: { ...place.repeat } }),
    ...(place.design === undefined ? {} : { design: structuredClone(place.design) }),
    ...(place.rows === undefined ? {} : { rows: place.rows.map(withoutBlanks) }),
  };
}

/** A row without its blank values, which read as blank anyway: snapshots stay small. */
function withoutBlanks(row: RecordData): RecordData {
  return Object.fromEntries(Object.entries(row).filter(([, value]) => value !== ''));
}
