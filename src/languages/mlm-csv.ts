/**
 * REDCap MLM's CSV export of one language, read as the subset of decision 0060: a header row naming at
 * least `type`, `name` and `translation` (and `index` for choices); one row per item. Other columns an
 * export carries (`hash`, `default`…) are ignored. A CSV names no language: the project file does.
 */
import { parse } from 'csv-parse/sync';
import { ENTRY_TYPES, type Entry, type EntryType } from './entries.js';
import type { EntriesRead } from './mlm-json.js';
import type { TranslationProblem } from './translation.js';

const REQUIRED = ['type', 'name', 'translation'] as const;

export function readMlmCsv(text: string, language: string): EntriesRead {
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parse(text.replace(/^\uFEFF/, ''), { info: true, relax_column_count: true, skip_empty_lines: true }) as unknown as typeof rows;
  } catch (error) {
    return { ok: false, problems: [{ at: 'file', message: `not valid CSV: ${(error as Error).message}` }] };
  }
  const [head, ...body] = rows;
  if (head === undefined) return { ok: false, problems: [{ at: 'line 1', message: 'the file is empty: expected a header row type,name,index,translation' }] };
  const column = new Map(head.record.map((name, index) => [name.trim().toLowerCase(), index]));
  const missing = REQUIRED.filter((name) => !column.has(name));
  if (missing.length > 0) {
    return { ok: false, problems: [{ at: 'line 1', message: `the header lacks ${missing.join(', ')} (expected type,name,index,translation)` }] };
  }
  const cell = (record: string[], name: string) => record[column.get(name) ?? -1]?.trim() ?? '';
  const problems: TranslationProblem[] = [];
  const entries = body.flatMap(({ record, info }) => {
    const at = `line ${info.lines}`;
    const type = cell(record, 'type');
    if (!(ENTRY_TYPES as readonly string[]).includes(type)) {
      problems.push({ at, message: `unknown type "${type}" (expected one of ${ENTRY_TYPES.join(', ')})` });
      return [];
    }
    const index = cell(record, 'index');
    if (type === 'field-enum' && index === '') {
      problems.push({ at, message: 'a field-enum row needs the choice code in `index`' });
      return [];
    }
    const entry: Entry = { at, type: type as EntryType, name: cell(record, 'name'), text: record[column.get('translation') ?? -1] ?? '' };
    return [type === 'field-enum' ? { ...entry, index } : entry];
  });
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, header: { language, rtl: false }, entries };
}
