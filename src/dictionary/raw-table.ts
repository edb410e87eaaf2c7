/**
 * What both sources (Designer CSV, API JSON) are read into before the model is built: one row of
 * canonical cells per field, each knowing where it came from.
 */
import { DESIGNER_HEADER, type ColumnKey } from './columns.js';
import type { Diagnostic } from './model.js';

/** A CSV line (1-based, header = 1, the line a multi-line row starts on) or a JSON array index. */
export type Location = { line: number } | { index: number };

export interface RawRow {
  cells: Readonly<Record<ColumnKey, string>>;
  at: Location;
}

export interface RawTable {
  rows: RawRow[];
  /** The column's name as this file spells it, so messages quote the user's own header. */
  columnName: (key: ColumnKey) => string;
  diagnostics: Diagnostic[];
}

export const designerColumnName = (key: ColumnKey): string => DESIGNER_HEADER[key];

export interface Pointer {
  field?: string;
  column?: string;
}

/** One diagnostic at a location; every message in the loader is built through here. */
export function diagnostic(
  severity: Diagnostic['severity'],
  at: Location | undefined,
  pointer: Pointer,
  message: string,
): Diagnostic {
  return {
    severity,
    ...(at && 'line' in at ? { line: at.line } : {}),
    ...(at && 'index' in at ? { index: at.index } : {}),
    ...(pointer.field !== undefined ? { field: pointer.field } : {}),
    ...(pointer.column !== undefined ? { column: pointer.column } : {}),
    message,
  };
}

export const error = (at: Location | undefined, pointer: Pointer, message: string): Diagnostic =>
  diagnostic('error', at, pointer, message);
export const warning = (at: Location | undefined, pointer: Pointer, message: string): Diagnostic =>
  diagnostic('warning', at, pointer, message);

/** Both sources normalise line breaks the same way, so equal content gives equal cells (and survey id). */
export const normaliseLineBreaks = (text: string): string => text.replace(/\r\n?/g, '\n');
