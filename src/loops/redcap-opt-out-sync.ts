/**
 * Opt-outs to REDCap: on STOP, the project's opt-out fields are set on EVERY record whose phone field
 * is the number (compared as E.164, however REDCap stored it); on START they are cleared. A text or
 * date field gets the opt-out time in the project's time zone; a checkbox gets its first option ticked.
 */
import type { Logger } from '../ports/logger.js';
import type { FlatRecord, RedcapClient } from '../ports/redcap/index.js';
import type { ProjectConfig } from '../config/projects.js';
import { checkboxColumns } from '../answers/checkbox-exports.js';
import type { Field, Survey } from '../dictionary/model.js';
import { fieldMap } from '../dictionary/index.js';
import { formatWallClock, storageFormat, wallClockNow } from '../logic/dates.js';
import type { OptOutChange } from '../policies/opt-out-plan.js';
import { samePhone } from '../policies/phone-match.js';

export interface OptOutSyncDeps {
  project: (id: string) => ProjectConfig | undefined;
  redcap: (project: string) => RedcapClient;
  /** The project's active survey (field types, record id field). */
  survey: (project: string) => Promise<Survey>;
  logger: Logger;
  /** Tells staff; failures are logged, never retried (REDCap is what must not miss the change). */
  notify?: (notice: OptOutNotice) => Promise<void>;
}

/** What staff are told: which records changed, never the number. */
export interface OptOutNotice {
  project: string;
  status: 'opted-out' | 'opted-in';
  records: string[];
  at: string | null;
}

export function createOptOutSync(deps: OptOutSyncDeps): (change: OptOutChange) => Promise<void> {
  return async (change) => {
    const project = deps.project(change.project);
    if (project === undefined || project.optOutFields.length === 0) return;
    const client = deps.redcap(change.project);
    const survey = await deps.survey(change.project);
    const exported = await client.exportRecords({ fields: [survey.recordIdField, project.phoneField] });
    const records = matchingRecords(exported, survey.recordIdField, project.phoneField, change.phone);
    if (records.length === 0) return;
    const values = optOutValues(survey, project, change.optedOutAt);
    const events = await optOutEvents(client, survey, project.optOutFields);
    const rows = records.flatMap((record) => events.map((event) => ({
      [survey.recordIdField]: record, ...(event === null ? {} : { redcap_event_name: event }), ...values,
    })));
    await client.importRecords(rows, { overwrite: true });
    deps.logger.info({ project: change.project, records: records.length, optedOut: change.optedOutAt !== null }, 'opt-out status written to REDCap');
    await notify(deps, { project: change.project, status: change.optedOutAt === null ? 'opted-in' : 'opted-out', records, at: change.optedOutAt });
  };
}

/** Record ids (each once) whose phone field holds the number. */
export function matchingRecords(rows: readonly FlatRecord[], idField: string, phoneField: string, phone: string): string[] {
  const ids = rows.filter((row) => samePhone(row[phoneField] ?? '', phone)).map((row) => row[idField] ?? '');
  return [...new Set(ids.filter((id) => id !== ''))];
}

/** The values to import: the time of the opt-out (or blanks to clear), checkbox option 1 / 0. */
export function optOutValues(survey: Survey, project: Pick<ProjectConfig, 'optOutFields' | 'timeZone'>, optedOutAt: string | null): FlatRecord {
  const fields = fieldMap(survey);
  return Object.assign({}, ...project.optOutFields.map((name) => {
    const field = fields.get(name);
    if (field === undefined) return { [name]: stamp(null, optedOutAt, project.timeZone) };
    if (field.type === 'checkbox') {
      const first = checkboxColumns(field)[0];
      return first === undefined ? {} : { [first.column]: optedOutAt === null ? '0' : '1' };
    }
    return { [name]: stamp(field, optedOutAt, project.timeZone) };
  })) as FlatRecord;
}

/** `YYYY-MM-DD HH:MM:SS` in the project's zone, shortened to what a date/datetime field stores. */
function stamp(field: Field | null, optedOutAt: string | null, timeZone: string): string {
  if (optedOutAt === null) return '';
  return formatWallClock(wallClockNow(new Date(optedOutAt), timeZone), storageFormat(field?.validation ?? null));
}

/** Longitudinal projects: every event the opt-out fields' forms are designated for; classic: one row. */
async function optOutEvents(client: RedcapClient, survey: Survey, fieldNames: readonly string[]): Promise<(string | null)[]> {
  const mapping = await client.exportFormEventMapping();
  if (mapping.length === 0) return [null];
  const fields = fieldMap(survey);
  const forms = new Set(fieldNames.flatMap((name) => fields.get(name)?.form ?? []));
  const events = [...new Set(mapping.filter((m) => forms.has(m.form)).map((m) => m.unique_event_name))];
  return events.length === 0 ? [null] : events;
}

async function notify(deps: OptOutSyncDeps, notice: OptOutNotice): Promise<void> {
  if (deps.notify === undefined) return;
  try {
    await deps.notify(notice);
  } catch (error) {
    deps.logger.warn({ project: notice.project, reason: error instanceof Error ? error.name : 'failure' }, 'opt-out notification failed');
  }
}

/** A staff notification as a JSON POST to a webhook URL (no phone number in it). */
export function webhookNotifier(post: (url: string, body: OptOutNotice) => Promise<unknown>, urlOf: (project: string) => string | undefined) {
  return async (notice: OptOutNotice): Promise<void> => {
    const url = urlOf(notice.project);
    if (url !== undefined) await post(url, notice);
  };
}
