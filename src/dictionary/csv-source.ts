/** The Designer's CSV download (or the API's CSV metadata) read into a RawTable. */
import { parse } from 'csv-parse/sync';
import {
  COLUMN_KEYS, REQUIRED_KEYS, closestHeader, matchHeader, type ColumnKey,
} from './columns.js';
import {
  designerColumnName, error, normaliseLineBreaks, warning, type RawRow, type RawTable,
} from './raw-table.js';
import type { Diagnostic } from './model.js';

interface ParsedRecord {
  cells: string[];
  line: number;
}

export function readCsv(text: string): RawTable {
  const parsed = parseRecords(normaliseLineBreaks(text));
  if ('failure' in parsed) return emptyTable([parsed.failure]);
  const [header, ...body] = parsed.records.filter((record) => !isBlank(record.cells));
  if (!header) return emptyTable([error({ line: 1 }, {}, 'the file is empty: expected a header row and one row per field')]);
  const layout = readHeader(header.cells);
  if (layout.diagnostics.some((d) => d.severity === 'error')) return emptyTable(layout.diagnostics, layout.columnName);
  const rows = body.map((record) => toRawRow(record, layout.positions));
  const widthProblems = body.flatMap((record) => checkWidth(record, header.cells.length));
  return { rows, columnName: layout.columnName, diagnostics: [...layout.diagnostics, ...widthProblems] };
}

function parseRecords(text: string): { records: ParsedRecord[] } | { failure: Diagnostic } {
  try {
    const output = parse(text, { relax_column_count: true, skip_empty_lines: false }) as string[][];
    // Line breaks are all \n by now and blank lines are kept as records, so each record starts on the line
    // after the previous one ends (a multi-line cell adds its own breaks).
    let line = 1;
    const records = output.map((cells) => {
      const record = { cells, line };
      line += 1 + newlinesIn(cells);
      return record;
    });
    return { records };
  } catch (cause) {
    const line = (cause as { lines?: number }).lines;
    const reason = cause instanceof Error ? cause.message.replace(/^[A-Za-z ]+: /, '') : String(cause);
    return { failure: error(line ? { line } : undefined, {}, `the CSV cannot be read: ${reason}`) };
  }
}

const newlinesIn = (cells: readonly string[]): number =>
  cells.reduce((sum, cell) => sum + (cell.match(/\n/g)?.length ?? 0), 0);

const isBlank = (cells: readonly string[]): boolean => cells.every((cell) => cell.trim() === '');

interface Layout {
  positions: ReadonlyMap<ColumnKey, number>;
  columnName: (key: ColumnKey) => string;
  diagnostics: Diagnostic[];
}

function readHeader(headers: readonly string[]): Layout {
  const positions = new Map<ColumnKey, number>();
  const names = new Map<ColumnKey, string>();
  const unknown: string[] = [];
  const diagnostics: Diagnostic[] = [];
  headers.forEach((header, position) => {
    const match = matchHeader(header);
    if (match.kind === 'column' && !positions.has(match.key)) {
      positions.set(match.key, position);
      names.set(match.key, header.trim());
    } else if (match.kind === 'column') {
      diagnostics.push(error({ line: 1 }, { column: header }, 'the column appears twice in the header'));
    } else if (match.kind === 'unknown') {
      unknown.push(header);
    }
  });
  const missing = REQUIRED_KEYS.filter((key) => !positions.has(key));
  for (const key of missing) diagnostics.push(missingColumn(key, unknown));
  const optionalMissing = COLUMN_KEYS.filter((key) => !REQUIRED_KEYS.includes(key) && !positions.has(key));
  for (const header of unknown.filter((h) => !missing.some((key) => suggests(h, key)))) {
    const near = closestHeader(header, optionalMissing);
    const hint = near ? `; did you mean "${near}"?` : '';
    diagnostics.push(warning({ line: 1 }, { column: header }, `unknown column, ignored${hint}`));
  }
  return { positions, columnName: (key) => names.get(key) ?? designerColumnName(key), diagnostics };
}

const suggests = (header: string, key: ColumnKey): boolean => closestHeader(header, [key]) !== undefined;

function missingColumn(key: ColumnKey, unknownHeaders: readonly string[]): Diagnostic {
  const misspelled = unknownHeaders.find((header) => suggests(header, key));
  const column = misspelled ?? designerColumnName(key);
  const reason = misspelled
    ? `required column "${designerColumnName(key)}" is missing; is "${misspelled}" a misspelling of it?`
    : `required column "${designerColumnName(key)}" is missing from the header`;
  return error({ line: 1 }, { column }, reason);
}

function toRawRow(record: ParsedRecord, positions: ReadonlyMap<ColumnKey, number>): RawRow {
  const cells = Object.fromEntries(
    COLUMN_KEYS.map((key) => {
      const position = positions.get(key);
      return [key, position === undefined ? '' : (record.cells[position] ?? '')];
    }),
  ) as Record<ColumnKey, string>;
  return { cells, at: { line: record.line } };
}

/** Short rows are padded with blanks (REDCap does the same); extra non-blank cells are a warning. */
function checkWidth(record: ParsedRecord, width: number): Diagnostic[] {
  const extra = record.cells.slice(width).filter((cell) => cell.trim() !== '');
  if (extra.length === 0) return [];
  const field = record.cells[0]?.trim();
  return [warning({ line: record.line }, field ? { field } : {},
    `the row has ${record.cells.length} cells but the header has ${width}; the extra cells are ignored`)];
}

function emptyTable(diagnostics: Diagnostic[], columnName = designerColumnName): RawTable {
  return { rows: [], columnName, diagnostics };
}

/** The row and column of the first cell containing `mark`, to point at a cell REDCap could not have written. */
export function locateInCsv(text: string, mark: string): { line: number; field?: string; column?: string } | undefined {
  const parsed = parseRecords(normaliseLineBreaks(text));
  if ('failure' in parsed) return undefined;
  const [header, ...body] = parsed.records.filter((record) => !isBlank(record.cells));
  for (const record of header ? [header, ...body] : []) {
    const position = record.cells.findIndex((cell) => cell.includes(mark));
    if (position < 0) continue;
    const column = header?.cells[position]?.replace(mark, '?').trim();
    const namePosition = header?.cells.findIndex((cell) => {
      const match = matchHeader(cell);
      return match.kind === 'column' && match.key === 'field_name';
    }) ?? -1;
    const field = record === header ? undefined : record.cells[namePosition]?.replace(mark, '?').trim();
    return { line: record.line, ...(field ? { field } : {}), ...(column ? { column } : {}) };
  }
  return undefined;
}
