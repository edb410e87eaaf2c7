/**
 * `filterLogic` on record export: REDCap returns only the rows for which the logic is true, evaluated
 * by the project's own logic engine (`src/logic/`) on each row, with the record's other events
 * available to `[event][field]`. Logic that does not parse, or names a field the project lacks, is
 * refused as REDCap refuses it: an error, nothing exported.
 */
import { compileLogic, fieldReferences, parseLogic, toBoolean, type EvalContext, type RecordData } from '../../logic/index.js';
import type { EmulatedProject } from './project.js';
import type { StoredRow } from './record-store.js';

export type RowFilter = (row: StoredRow, recordRows: readonly StoredRow[]) => boolean;

export function compileFilter(project: EmulatedProject, logic: string, now: Date): { ok: true; filter: RowFilter } | { ok: false; message: string } {
  const parsed = parseLogic(logic);
  if (!parsed.ok) return { ok: false, message: `The filterLogic is not valid logic: ${parsed.error.message}` };
  const unknown = [...new Set(fieldReferences(parsed.expr).map((ref) => ref.name))].filter((name) => !project.fields.has(name));
  if (unknown.length > 0) return { ok: false, message: `The filterLogic names fields that are not in the project: ${unknown.join(', ')}` };
  const compiled = compileLogic(logic, project.survey);
  if (!compiled.ok) return { ok: false, message: `The filterLogic is not valid logic: ${compiled.error.message}` };
  return {
    ok: true,
    filter: (row, recordRows) => toBoolean(compiled.evaluate(rowContext(project, row, recordRows, now))),
  };
}

export function rowContext(project: EmulatedProject, row: StoredRow, recordRows: readonly StoredRow[], now: Date): EvalContext {
  const context: EvalContext = { survey: project.survey, record: rowData(project, row), now, timeZone: 'UTC', recordId: row.key.record };
  if (project.longitudinal) context.event = row.key.event;
  if (row.key.instance > 0) {
    context.instance = row.key.instance;
    context.repeatInstrument = row.key.repeatInstrument;
  }
  context.rows = recordRows.map((r) => exportedRow(project, r));
  return context;
}

/** A stored row as REDCap's record export gives it: its values with the event and repeat columns. */
function exportedRow(project: EmulatedProject, row: StoredRow): RecordData {
  const data = rowData(project, row);
  if (project.longitudinal) data.redcap_event_name = row.key.event;
  if (row.key.instance > 0) {
    data.redcap_repeat_instrument = row.key.repeatInstrument;
    data.redcap_repeat_instance = String(row.key.instance);
  }
  return data;
}

/** A stored row as logic reads it: its values and the record ID. */
export const rowData = (project: EmulatedProject, row: StoredRow): RecordData =>
  ({ ...Object.fromEntries(row.values), [project.survey.recordIdField]: row.key.record });
