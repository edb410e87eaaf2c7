/** Checks across rows: unique names, contiguous forms, and the names REDCap reserves for form status. */
import type { ColumnKey } from './columns.js';
import type { Diagnostic, Field, Survey } from './model.js';
import { error, type Location, type RawRow } from './raw-table.js';

export const formStatusFieldName = (form: string): string => `${form}_complete`;

/**
 * The label REDCap shows for an instrument: the one the source gave, or, as REDCap labels a form that a
 * dictionary upload creates, the name with spaces for underscores and each word capitalised
 * (`baseline_visit` → `Baseline Visit`; decision 0043).
 */
export function instrumentLabel(survey: Pick<Survey, 'instruments'>, name: string): string {
  const label = survey.instruments.find((instrument) => instrument.name === name)?.label;
  if (label !== undefined && label.trim() !== '') return label;
  return name.split('_').filter((word) => word !== '').map((word) => word[0]!.toUpperCase() + word.slice(1)).join(' ');
}

type ColumnName = (key: ColumnKey) => string;

export function checkStructure(rows: readonly RawRow[], columnName: ColumnName): Diagnostic[] {
  return [...duplicateNames(rows, columnName), ...splitForms(rows, columnName), ...reservedNames(rows, columnName)];
}

const nameOf = (row: RawRow): string => row.cells.field_name.trim();
const formOf = (row: RawRow): string => row.cells.form_name.trim();
const where = (at: Location): string => ('line' in at ? `line ${at.line}` : `index ${at.index}`);

function duplicateNames(rows: readonly RawRow[], columnName: ColumnName): Diagnostic[] {
  const first = new Map<string, Location>();
  return rows.flatMap((row) => {
    const name = nameOf(row);
    const earlier = first.get(name);
    if (name === '') return [];
    if (!earlier) {
      first.set(name, row.at);
      return [];
    }
    return [error(row.at, { field: name, column: columnName('field_name') },
      `duplicate field name "${name}": it is already defined at ${where(earlier)}`)];
  });
}

/** A form's rows must be one block: REDCap orders instruments by their first row. */
function splitForms(rows: readonly RawRow[], columnName: ColumnName): Diagnostic[] {
  const blockEnds = new Map<string, Location>();
  let current: string | undefined;
  const diagnostics: Diagnostic[] = [];
  for (const row of rows) {
    const form = formOf(row);
    if (form === '') continue;
    const earlierEnd = form === current ? undefined : blockEnds.get(form);
    if (earlierEnd) {
      diagnostics.push(error(row.at, { field: nameOf(row), column: columnName('form_name') },
        `form "${form}" is split into two blocks: its rows must be together (its earlier block ends at ${where(earlierEnd)})`));
    }
    blockEnds.set(form, row.at);
    current = form;
  }
  return diagnostics;
}

function reservedNames(rows: readonly RawRow[], columnName: ColumnName): Diagnostic[] {
  const statusNames = new Set(rows.map((row) => formStatusFieldName(formOf(row))));
  return rows
    .filter((row) => statusNames.has(nameOf(row)))
    .map((row) => error(row.at, { field: nameOf(row), column: columnName('field_name') },
      `"${nameOf(row)}" is reserved: REDCap adds it as a form's status field`));
}

/** Groups fields into instruments in dictionary order (forms are contiguous once checkStructure passed). */
export function instrumentsInOrder(fields: readonly Field[]): { name: string; fields: Field[] }[] {
  const instruments: { name: string; fields: Field[] }[] = [];
  for (const field of fields) {
    const last = instruments[instruments.length - 1];
    if (last?.name === field.form) last.fields.push(field);
    else instruments.push({ name: field.form, fields: [field] });
  }
  return instruments;
}
