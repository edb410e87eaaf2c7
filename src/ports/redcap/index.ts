/** The REDCap port: the client the engine calls, the shapes REDCap answers with, and its typed errors. */
export { addsInstance, type ExportRecordsQuery, type RedcapClient, type SurveyLinkQuery } from './client.js';
export { RedcapError, isRedcapError, REDCAP_ERROR_KINDS, type RedcapErrorKind, type ImportProblem } from './errors.js';
export type {
  MetadataRow, ProjectInfo, InstrumentInfo, RedcapArm, RedcapEvent, FormEventMapping, ExportFieldName, FlatRecord, RepeatingFormEvent,
} from './responses.js';
