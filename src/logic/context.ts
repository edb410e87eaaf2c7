import type { RecordData, Survey } from '../dictionary/model.js';
import type { ProjectDesign } from '../dictionary/project-design.js';

export type { RecordData };

/**
 * The event a conversation runs in, as far as the shell knows it (longitudinal projects). The core
 * has no event data of its own: whatever is given here is piped by `[event-label]`, `[arm-number]`
 * and the like, and what is not given pipes blank (the dictionary check warns where they are used).
 */
export interface EventDetails {
  /** The unique event name (`baseline_arm_1`), as `[event-name]` and `[event][field]` use it. */
  name: string;
  /** The event's label as REDCap shows it (`Baseline`). */
  label?: string;
  /** REDCap's numeric event id. */
  id?: number;
  /** The event's position in its arm, 1-based. */
  number?: number;
  armNumber?: number;
  armLabel?: string;
}

export interface EvalContext {
  survey: Survey;
  record: RecordData;
  /** From the injected clock, never Date.now(). */
  now: Date;
  timeZone: string;
  /** The project's (REDCap server's) zone, for `@NOW-SERVER`/`@TODAY-SERVER`; `timeZone` when absent. */
  serverTimeZone?: string;
  recordId?: string;
  event?: string;
  /** More about the current event than its name, when the shell knows it. */
  eventDetails?: EventDetails;
  /** The repeat instance being filled in, with `repeatInstrument`; absent outside a repeating instrument or event. */
  instance?: number;
  /** The repeating instrument being filled in, `''` for a repeating event (REDCap's `redcap_repeat_instrument`). */
  repeatInstrument?: string;
  instrument?: string;
  /** Survey titles by instrument (the project's configured titles), for `[survey-title]`. */
  surveyTitles?: Readonly<Record<string, string>>;
  /** The project's arms, events in order and repeating instruments, for `[previous-event-name]` and the like. */
  design?: ProjectDesign;
  /**
   * The whole record as REDCap exports it: one row per event and repeat instance, each with
   * `redcap_event_name`, `redcap_repeat_instrument` and `redcap_repeat_instance` where the project has them.
   * `[event][field]`, `[field][n]` and their smart-variable forms read it; the row being filled in is
   * `record`, which wins over its copy here.
   */
  rows?: readonly RecordData[];
  /** The project's missing data codes, for `ismissingcode()` and friends. */
  missingCodes?: readonly string[];
}
