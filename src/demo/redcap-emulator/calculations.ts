/**
 * REDCap recomputes calculated fields (and `@CALCTEXT`/`@CALCDATE`) when data is imported; the emulator
 * does the same on every row an import touched, with the project's own logic engine, and stores the
 * results as REDCap would (a calc's number as REDCap formats it, blank when an operand is blank).
 */
import { isComputed } from '../../dictionary/index.js';
import { surveyLogic } from '../../logic/index.js';
import { rowContext } from './filter-logic.js';
import type { EmulatedProject } from './project.js';
import { belongsToRow } from './record-export.js';
import { keyText, type RowKey } from './record-store.js';

export function recalculateRows(project: EmulatedProject, keys: readonly RowKey[], now: Date): void {
  const computed = project.survey.fields.filter((field) => isComputed(field, field.tags));
  if (computed.length === 0) return;
  const logic = surveyLogic(project.survey);
  // Only the records the import touched are read: its cost grows with them, not with the project.
  // The stored rows' values are live, so a value computed here is seen by the rows computed after it.
  const seen = new Set<string>();
  for (const key of keys) {
    const id = keyText(key);
    if (seen.has(id)) continue;
    seen.add(id);
    const row = project.records.row(key);
    if (row === undefined) continue;
    // One context for the row: each value computed is seen by the calculations after it.
    const context = rowContext(project, row, project.records.rowsOf(key.record), now);
    const changed: Record<string, string> = {};
    for (const field of computed) {
      if (!belongsToRow(project, field.form, row)) continue;
      const value = logic.calcValue(field.name, context);
      if (value !== (context.record[field.name] ?? '')) {
        context.record[field.name] = value;
        changed[field.name] = value;
      }
    }
    if (Object.keys(changed).length > 0) project.records.write(key, changed, true);
  }
}
