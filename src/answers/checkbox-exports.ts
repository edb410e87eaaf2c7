import { checkboxExportName } from '../dictionary/index.js';
import type { Field } from '../dictionary/model.js';

/** The `field___code` column of each option, as the dictionary recorded it (REDCap's rule otherwise). */
export function checkboxColumns(field: Field): { code: string; column: string }[] {
  return field.choices.map((choice) => ({
    code: choice.code,
    column:
      field.checkboxExports.find((e) => e.code === choice.code)?.exportName ??
      checkboxExportName(field.name, choice.code),
  }));
}
