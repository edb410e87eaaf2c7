import type { RecordData, Survey } from '../dictionary/model.js';

export type { RecordData };

export interface EvalContext {
  survey: Survey;
  record: RecordData;
  /** From the injected clock, never Date.now(). */
  now: Date;
  timeZone: string;
  recordId?: string;
  event?: string;
  instance?: number;
  instrument?: string;
  /** Other events' data, for `[event][field]`. */
  events?: Record<string, RecordData>;
  /** Other instances of the current repeating instrument, by instance number, for `[field][n]`. */
  instances?: Readonly<Record<number, RecordData>>;
  /** The project's missing data codes, for `ismissingcode()` and friends. */
  missingCodes?: readonly string[];
}
