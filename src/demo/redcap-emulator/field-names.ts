/**
 * `content=exportFieldNames`: the export/import names of every field, one row per checkbox option.
 * REDCap leaves out calc, file (signatures included) and descriptive fields — they cannot be imported
 * (redcapAPI's `exportFieldNames` documentation) — and the emulator does the same.
 */
import type { ExportFieldName } from '../../ports/redcap/responses.js';
import type { EmulatedProject } from './project.js';
import { failure, json, type Reply } from './replies.js';

const NOT_IMPORTABLE = new Set(['calc', 'file', 'descriptive']);

export function exportFieldNames(project: EmulatedProject, only: string | undefined): Reply {
  if (only !== undefined && !project.fields.has(only)) return failure(400, `The field '${only}' does not exist`);
  const rows: ExportFieldName[] = [...project.columns]
    .filter(([, column]) => !column.field.formStatus && !NOT_IMPORTABLE.has(column.field.type))
    .filter(([, column]) => only === undefined || column.field.name === only)
    .map(([exportName, column]) => ({
      original_field_name: column.field.name, choice_value: column.checkboxCode ?? '', export_field_name: exportName,
    }));
  return json(rows);
}
