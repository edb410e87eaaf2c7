/** `content=record` without `data`: the export, as JSON objects or a CSV table (raw or label headers). */
import type { DecodedForm } from '../../adapters/redcap/form.js';
import { csvTable } from './csv-format.js';
import { readExportQuery } from './export-query.js';
import type { EmulatedProject } from './project.js';
import { exportTable } from './record-export.js';
import { csv, failure, json, type Reply } from './replies.js';

export function exportRecords(project: EmulatedProject, form: DecodedForm, now: Date): Reply {
  if ((form.values.get('type') ?? 'flat') !== 'flat') return failure(400, 'The emulator exports records as type=flat only');
  const read = readExportQuery(project, form, now);
  if (!read.ok) return failure(400, read.message);
  const table = exportTable(project, read.query);
  if (form.values.get('format') !== 'csv') return json(table.rows);
  const header = table.columns.map((column) => (read.query.labelHeaders ? column.label : column.name));
  return csv(csvTable(header, table.rows.map((row) => table.columns.map((column) => String(row[column.name] ?? '')))));
}
