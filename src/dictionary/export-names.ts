/**
 * REDCap exports a checkbox as one column per option (`field___code`) beside the ordinary fields, so
 * the two share one namespace. Consecutive underscores in a field name are not an error in
 * themselves: REDCap accepts projects that have them (decision 0041). The error is a real clash, a
 * field that is some option's export column, or two options that export to the same column.
 */
import type { ColumnKey } from './columns.js';
import type { Diagnostic, Field } from './model.js';
import { error, warning, type Location } from './raw-table.js';

export function exportNameClashes(fields: readonly Field[], columnName: (key: ColumnKey) => string): Diagnostic[] {
  const columns = new Map<string, { field: Field; code?: string }>();
  const diagnostics: Diagnostic[] = [];
  for (const field of fields) columns.set(field.name, { field });
  const pointer = (field: Field, key: ColumnKey) => ({ field: field.name, column: columnName(key) });
  for (const checkbox of fields) {
    for (const { code, exportName } of checkbox.checkboxExports) {
      const taken = columns.get(exportName);
      if (taken === undefined) {
        columns.set(exportName, { field: checkbox, code });
      } else if (taken.code === undefined) {
        diagnostics.push(error(locationOf(taken.field), pointer(taken.field, 'field_name'),
          `"${exportName}" is also the export column of option "${code}" of checkbox "${checkbox.name}"${at(checkbox)}: REDCap could not tell the two apart; rename the field`));
      } else {
        diagnostics.push(error(locationOf(checkbox), pointer(checkbox, 'select_choices_or_calculations'),
          `option "${code}" of checkbox "${checkbox.name}" exports as "${exportName}", the same column as option "${taken.code}" of "${taken.field.name}"; codes must differ in more than case and punctuation`));
      }
    }
  }
  return [...diagnostics, ...lookalikes(fields, pointer)];
}

/** `x___delete` with no checkbox `x` loads; the warning says why, and what would break it later. */
function lookalikes(fields: readonly Field[], pointer: (field: Field, key: ColumnKey) => { field: string; column: string }): Diagnostic[] {
  const exported = new Set(fields.flatMap((field) => field.checkboxExports.map((option) => option.exportName)));
  return fields.flatMap((field) => {
    const split = /^(.+?)___(.+)$/.exec(field.name);
    if (split === null || exported.has(field.name)) return [];
    return [warning(locationOf(field), pointer(field, 'field_name'),
      `"${field.name}" looks like the export column of option "${split[2]}" of a checkbox "${split[1]}"; no checkbox has that option, so it loads, but adding one later would clash`)];
  });
}

const locationOf = (field: Field): Location | undefined =>
  field.source.line !== undefined ? { line: field.source.line } : field.source.index !== undefined ? { index: field.source.index } : undefined;

const at = (field: Field): string =>
  field.source.line !== undefined ? ` (line ${field.source.line})` : field.source.index !== undefined ? ` (index ${field.source.index})` : '';
