/**
 * `content=record` export, flat JSON: one object per stored row, system columns first, then every data
 * column in dictionary order; values are strings, except `redcap_repeat_instance`, which REDCap sends as a
 * number on repeating rows.
 */
import { formStatusFieldName } from '../../dictionary/index.js';
import type { StoredRow } from './record-store.js';
import { isDesignated, isRepeating, type EmulatedProject, type ExportColumn } from './project.js';

export interface ExportQuery {
  records: readonly string[];
  fields: readonly string[];
  events: readonly string[];
}

/** The names in a query the project does not have, by parameter, for REDCap's "not valid" error. */
export function invalidQueryValues(project: EmulatedProject, query: ExportQuery): { parameter: string; values: string[] } | undefined {
  const badFields = query.fields.filter((name) => !project.fields.has(name) || project.fields.get(name)?.type === 'descriptive');
  if (badFields.length > 0) return { parameter: 'fields', values: badFields };
  const eventNames = new Set(project.events.map((e) => e.unique_event_name));
  const badEvents = query.events.filter((name) => !eventNames.has(name));
  if (badEvents.length > 0) return { parameter: 'events', values: badEvents };
  return undefined;
}

export function exportRows(project: EmulatedProject, query: ExportQuery): Record<string, string | number>[] {
  const columns = [...project.columns].filter(([, column]) => query.fields.length === 0 || query.fields.includes(column.field.name));
  return project.records.list()
    .filter((row) => query.records.length === 0 || query.records.includes(row.key.record))
    .filter((row) => query.events.length === 0 || query.events.includes(row.key.event))
    .map((row) => flatRow(project, row, columns, query.fields.length === 0 || query.fields.includes(project.survey.recordIdField)));
}

function flatRow(
  project: EmulatedProject, row: StoredRow, columns: readonly (readonly [string, ExportColumn])[], withRecordId: boolean,
): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  if (withRecordId) out[project.survey.recordIdField] = row.key.record;
  if (project.longitudinal) out.redcap_event_name = row.key.event;
  if (project.repeating.length > 0) {
    out.redcap_repeat_instrument = row.key.repeatInstrument;
    out.redcap_repeat_instance = row.key.instance === 0 ? '' : row.key.instance;
  }
  for (const [name, column] of columns) {
    if (name === project.survey.recordIdField) continue;
    out[name] = row.values.get(name) ?? blankValue(project, row, column);
  }
  return out;
}

/** An unanswered checkbox option or form status reads `0` on a row its form belongs to, blank elsewhere. */
function blankValue(project: EmulatedProject, row: StoredRow, column: ExportColumn): string {
  const statusOrCheckbox = column.checkboxCode !== undefined || column.field.name === formStatusFieldName(column.field.form);
  return statusOrCheckbox && belongsToRow(project, column.field.form, row) ? '0' : '';
}

function belongsToRow(project: EmulatedProject, form: string, row: StoredRow): boolean {
  if (row.key.repeatInstrument !== '') return form === row.key.repeatInstrument;
  return isDesignated(project, form, row.key.event) && !isRepeating(project, form, row.key.event);
}
