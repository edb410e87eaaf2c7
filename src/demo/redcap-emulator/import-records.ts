/**
 * `content=record` with `data`: the import. The body is JSON or CSV (`format`), dates are read in the
 * `dateFormat` order, REDCap's survey columns are ignored as REDCap ignores them, every row is checked
 * before anything is written (`planImport`), and calculated fields are recomputed on the rows written.
 */
import type { DecodedForm } from '../../adapters/redcap/form.js';
import { recalculateRows } from './calculations.js';
import { rowsFromCsv } from './csv-format.js';
import { DATE_FORMATS, isDateField, toStoredDate, type DateFormat } from './date-format.js';
import { planImport } from './import-plan.js';
import type { EmulatedProject } from './project.js';
import { failure, json, problemLines, text, type Reply } from './replies.js';

export function importRecords(project: EmulatedProject, form: DecodedForm, now: Date): Reply {
  if ((form.values.get('type') ?? 'flat') !== 'flat') return failure(400, 'The emulator imports records as type=flat only');
  if (form.values.get('forceAutoNumber') === 'true') return failure(400, 'The emulator does not support forceAutoNumber');
  const dateFormat = form.values.get('dateFormat') ?? 'YMD';
  if (!(DATE_FORMATS as readonly string[]).includes(dateFormat)) {
    return failure(400, 'The value of the parameter "dateFormat" is not valid: use "YMD", "MDY" or "DMY"');
  }
  const data = readData(form);
  if (!data.ok) return failure(400, data.message);
  const rows = Array.isArray(data.value) ? prepareRows(project, data.value, dateFormat as DateFormat) : data.value;
  const plan = planImport(project, rows, (key, planned) => project.records.nextInstance(key, planned));
  if (plan.kind === 'rejected') return failure(400, plan.message);
  if (plan.kind === 'problems') return failure(400, problemLines(plan.problems));
  const overwrite = form.values.get('overwriteBehavior') === 'overwrite';
  for (const write of plan.writes) project.records.write(write.key, write.values, overwrite);
  project.dataLog.push(...plan.writes.map((write) => ({ key: write.key, values: { ...write.values } })));
  recalculateRows(project, plan.writes.map((write) => write.key), now);
  const returnContent = form.values.get('returnContent') ?? 'count';
  if (returnContent === 'ids') return json(plan.records);
  if (returnContent === 'nothing') return text('');
  return json({ count: plan.records.length });
}

function readData(form: DecodedForm): { ok: true; value: unknown } | { ok: false; message: string } {
  const body = form.values.get('data') ?? '';
  if (form.values.get('format') === 'csv') {
    const read = rowsFromCsv(body);
    return read.ok ? { ok: true, value: read.rows } : read;
  }
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch {
    return { ok: false, message: 'The data being imported is not formatted correctly: it is not valid JSON' };
  }
}

const SURVEY_COLUMN = 'redcap_survey_identifier';

/** Dates to `YYYY-MM-DD` in the order given, and survey columns (which REDCap ignores on import) dropped. */
function prepareRows(project: EmulatedProject, rows: unknown[], dateFormat: DateFormat): unknown[] {
  const timestamps = new Set(project.survey.instruments.map((instrument) => `${instrument.name}_timestamp`));
  return rows.map((row) => {
    if (typeof row !== 'object' || row === null || Array.isArray(row)) return row;
    const entries = Object.entries(row as Record<string, unknown>)
      .filter(([column]) => column !== SURVEY_COLUMN && !(timestamps.has(column) && !project.columns.has(column)))
      .map(([column, value]) => {
        const field = project.columns.get(column)?.field;
        return typeof value === 'string' && field !== undefined && isDateField(field) ? [column, toStoredDate(value, dateFormat)] : [column, value];
      });
    return Object.fromEntries(entries);
  });
}
