/** The REDCap adapter: the API client (the port's types are re-exported for its callers). */
export {
  createRedcapClient, addsInstance,
  type RedcapClient, type RedcapClientOptions, type ExportRecordsQuery, type SurveyLinkQuery,
} from './client.js';
export { RedcapError, isRedcapError, REDCAP_ERROR_KINDS, type RedcapErrorKind, type ImportProblem } from '../../ports/redcap/errors.js';
export { createRequestBudget, REDCAP_DEFAULT_REQUESTS_PER_MINUTE, type RequestBudget } from './budget.js';
export type {
  MetadataRow, ProjectInfo, InstrumentInfo, RedcapEvent, FormEventMapping, ExportFieldName, FlatRecord, RepeatingFormEvent,
} from '../../ports/redcap/responses.js';
export type { Clock, Sleep } from './timing.js';
