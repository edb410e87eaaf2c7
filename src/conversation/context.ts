import type { EventDetails, RecordData } from '../logic/index.js';

/**
 * Everything a conversation remembers between texts. JSON only (no Dates, no class instances), because
 * it is persisted inside the XState snapshot and restored for every step.
 */
export interface ConversationContext {
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
  /**
   * The event this conversation runs in, when the invitation named one (longitudinal projects); piped by
   * `[event-name]`, `[event-label]`, `[arm-number]`… Absent in snapshots stored before it existed.
   */
  event?: EventDetails;
  /** The language the participant reads (an MLM language id); absent for the dictionary's own. */
  language?: string;
}

/** What an invitation needs to know to start a conversation. */
export interface ConversationStart {
  phone: string;
  instrument: string;
  recordId: string;
  record: RecordData;
  /** The invitation's event, with what the shell knows of it. */
  event?: EventDetails;
  /** The language the conversation starts in, already decided (invitation, record field or default). */
  language?: string;
}

export function initialContext(start: ConversationStart): ConversationContext {
  return {
    ...(start.event === undefined ? {} : { event: { ...start.event } }),
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
