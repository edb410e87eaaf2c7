/**
 * CSV as REDCap's API writes and reads it: a header row, then one row per record row; a cell is quoted
 * (with `""` for a quote) when it holds a comma, a quote, a line break or edge spaces; lines end `\n`.
 */
import { parse } from 'csv-parse/sync';

export const quotedCell = (value: string): string => `"${value.replace(/"/g, '""')}"`;

export function csvCell(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? quotedCell(value) : value;
}

export function csvTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\n') + '\n';
}

/** Objects (all with the same keys, in order) as a CSV table; an empty list is an empty body. */
export function csvFromObjects(objects: readonly Readonly<Record<string, string | number>>[], header?: readonly string[]): string {
  const first = objects[0];
  if (first === undefined) return header === undefined ? '' : csvTable(header, []);
  const keys = Object.keys(first);
  return csvTable(header ?? keys, objects.map((object) => keys.map((key) => String(object[key] ?? ''))));
}

/** An imported CSV body as rows of strings by column, or the reason it cannot be read. */
export function rowsFromCsv(text: string): { ok: true; rows: Record<string, string>[] } | { ok: false; message: string } {
  try {
    const rows = parse(text, { columns: true, skip_empty_lines: true, bom: true, relax_column_count: false }) as Record<string, string>[];
    return { ok: true, rows };
  } catch (error) {
    return { ok: false, message: `The data being imported is not formatted correctly: it is not valid CSV (${(error as Error).message.split('\n')[0] ?? ''})` };
  }
}
