import type {
  ExportFieldName, FlatRecord, FormEventMapping, InstrumentInfo, MetadataRow, ProjectInfo, RedcapArm, RedcapEvent, RepeatingFormEvent,
} from './responses.js';

/**
 * The REDCap API as the engine uses it: one method per call. The adapter (adapters/redcap) spends a request
 * budget, retries, and fails with a RedcapError whose message never holds the token or a submitted value.
 */

export interface ExportRecordsQuery {
  records?: readonly string[];
  /** Field names as in the dictionary; a checkbox field brings all its `field___code` columns. */
  fields?: readonly string[];
  events?: readonly string[];
  /** REDCap logic: only the rows for which it is true (a longitudinal project evaluates it on each event's row). */
  filterLogic?: string;
}

export interface SurveyLinkQuery {
  record: string;
  instrument: string;
  event?: string;
  repeatInstance?: number;
}

export interface RedcapClient {
  exportMetadata(): Promise<MetadataRow[]>;
  exportProjectInfo(): Promise<ProjectInfo>;
  exportInstruments(): Promise<InstrumentInfo[]>;
  /** [] for a classic (non-longitudinal) project, where REDCap answers with an error instead. */
  exportEvents(): Promise<RedcapEvent[]>;
  /** [] for a classic project, as for events. */
  exportFormEventMapping(): Promise<FormEventMapping[]>;
  /** [] for a classic project, as for events. */
  exportArms(): Promise<RedcapArm[]>;
  exportFieldNames(): Promise<ExportFieldName[]>;
  /** Which instruments (or events) repeat; [] when none do. */
  exportRepeatingFormsEvents(): Promise<RepeatingFormEvent[]>;
  exportRecords(query?: ExportRecordsQuery): Promise<FlatRecord[]>;
  exportSurveyLink(query: SurveyLinkQuery): Promise<string>;
  exportVersion(): Promise<string>;
  /**
   * Imports flat rows (blanks leave stored values alone) and resolves to REDCap's count of records.
   * Retried like any call, since writing the same values twice changes nothing — except rows with
   * `redcap_repeat_instance: 'new'`, which are sent once: a retry after a lost reply could add a second instance.
   * `overwrite: true` sends `overwriteBehavior=overwrite`, so a blank value clears the stored one.
   */
  importRecords(rows: readonly FlatRecord[], options?: { overwrite?: boolean }): Promise<number>;
}

/** A row that asks REDCap for a new repeating instance: importing it twice would add two. */
export const addsInstance = (row: FlatRecord): boolean => row.redcap_repeat_instance?.trim().toLowerCase() === 'new';
