/** The API's `content=metadata` JSON (an array of objects with the 18 keys, all strings) read into a RawTable. */
import { COLUMN_KEYS, REQUIRED_KEYS, type ColumnKey } from './columns.js';
import { error, normaliseLineBreaks, type RawRow, type RawTable } from './raw-table.js';
import type { Diagnostic } from './model.js';

const SHAPE = 'expected the REDCap API metadata: an array of objects with string values for field_name, form_name, field_type, …';

export function readJson(text: string): RawTable {
  const parsed = parseJson(text);
  if ('failure' in parsed) return table([], [parsed.failure]);
  if (!Array.isArray(parsed.value)) {
    return table([], [error(undefined, {}, `the JSON is not dictionary metadata: ${SHAPE}`)]);
  }
  if (parsed.value.length === 0) {
    return table([], [error({ index: 0 }, {}, 'the metadata array is empty: a dictionary needs at least one field')]);
  }
  const rows: RawRow[] = [];
  const diagnostics: Diagnostic[] = [];
  parsed.value.forEach((item: unknown, index) => {
    const problems = shapeProblems(item, index);
    if (problems.length > 0) diagnostics.push(...problems);
    else rows.push(toRawRow(item as Record<string, unknown>, index));
  });
  return table(rows, diagnostics);
}

function parseJson(text: string): { value: unknown } | { failure: Diagnostic } {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    return { failure: error(undefined, {}, `the file is not valid JSON: ${reason}`) };
  }
}

function shapeProblems(item: unknown, index: number): Diagnostic[] {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    return [error({ index }, {}, `item ${index} is not an object: ${SHAPE}`)];
  }
  const record = item as Record<string, unknown>;
  const field = typeof record['field_name'] === 'string' ? { field: record['field_name'] } : {};
  return COLUMN_KEYS.flatMap((key) => {
    const value = record[key];
    if (value === undefined && !REQUIRED_KEYS.includes(key)) return [];
    if (value === undefined) return [error({ index }, { ...field, column: key }, `the key "${key}" is missing`)];
    if (typeof value !== 'string') {
      return [error({ index }, { ...field, column: key }, `the value of "${key}" must be a string, not ${describe(value)}`)];
    }
    return [];
  });
}

const describe = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;

function toRawRow(record: Record<string, unknown>, index: number): RawRow {
  const cells = Object.fromEntries(
    COLUMN_KEYS.map((key) => [key, normaliseLineBreaks(typeof record[key] === 'string' ? record[key] : '')]),
  ) as Record<ColumnKey, string>;
  return { cells, at: { index } };
}

const table = (rows: RawRow[], diagnostics: Diagnostic[]): RawTable => ({
  rows,
  columnName: (key) => key,
  diagnostics,
});
