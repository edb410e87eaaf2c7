/** The REDCap adapter: the API client and the API emulator that stands in for REDCap. */
export {
  createRedcapClient, addsInstance,
  type RedcapClient, type RedcapClientOptions, type ExportRecordsQuery, type SurveyLinkQuery,
} from './client.js';
export { RedcapError, isRedcapError, REDCAP_ERROR_KINDS, type RedcapErrorKind, type ImportProblem } from './errors.js';
export { createRequestBudget, REDCAP_DEFAULT_REQUESTS_PER_MINUTE, type RequestBudget } from './budget.js';
export type {
  MetadataRow, ProjectInfo, InstrumentInfo, RedcapEvent, FormEventMapping, ExportFieldName, FlatRecord, RepeatingFormEvent,
} from './responses.js';
export type { Clock, Sleep } from './timing.js';
export {
  createRedcapEmulator,
  type RedcapEmulator, type EmulatorOptions, type EmulatorState, type RunningEmulator, type RequestLogEntry,
} from './emulator/emulator.js';
export type { EmulatorProjectConfig, EmulatorEventConfig, EmulatorRepeatingConfig } from './emulator/project.js';
export type { FaultMode } from './emulator/faults.js';
