/** Dictionary load + check time for a generated 2,000-field dictionary (target: under 300 ms). */
import { performance } from 'node:perf_hooks';
import { checkDictionary } from '../src/checks/check-dictionary.js';
import type { Benchmark } from './benchmark.js';

const HEADER = '"Variable / Field Name","Form Name","Section Header","Field Type","Field Label","Choices, Calculations, OR Slider Labels","Field Note","Text Validation Type OR Show Slider Number","Text Validation Min","Text Validation Max",Identifier?,"Branching Logic (Show field only if...)","Required Field?","Custom Alignment","Question Number (surveys only)","Matrix Group Name","Matrix Ranking?","Field Annotation"';

const quote = (cell: string): string => (/[",\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);

/** Row i of the generated dictionary: a rotating mix of types, choices, branching and action tags. */
function row(i: number, fieldsPerForm: number): string[] {
  const name = i === 0 ? 'record_id' : `q${i}`;
  const form = `form_${Math.floor(i / fieldsPerForm) + 1}`;
  const previous = `q${i - 1}`;
  const branching = i > 1 && i % 3 === 0 ? `[${previous}] = '1' or ([${previous}] <> '' and [record_id] > 5)` : '';
  const choices = Array.from({ length: 5 + (i % 6) }, (_, c) => `${c + 1}, Option ${c + 1} for question ${i}`).join(' | ');
  const base = [name, form, i % 25 === 1 ? `Section ${i}` : '', 'text', `Question ${i}: please answer`, '', '', '', '', '', '', branching, i % 4 === 0 ? 'y' : ''];
  if (i === 0) return base.map((cell, c) => (c === 11 ? '' : cell));
  const annotation = i % 10 === 0 ? `@IF([${previous}] = '2', @HIDDEN, @DEFAULT='1') @HIDECHOICE='6'` : i % 7 === 0 ? '@CHARLIMIT=160' : '';
  const variants: string[][] = [
    [...base.slice(0, 3), 'radio', base[4] ?? '', choices],
    [...base.slice(0, 3), 'checkbox', base[4] ?? '', choices],
    [...base.slice(0, 3), 'dropdown', base[4] ?? '', choices],
    [...base.slice(0, 3), 'text', base[4] ?? '', '', '', 'integer', '0', '120'],
    [...base.slice(0, 3), 'text', base[4] ?? '', '', '', 'date_ymd', '1900-01-01', 'today'],
    [...base.slice(0, 3), 'yesno', base[4] ?? ''],
    [...base.slice(0, 3), 'calc', base[4] ?? '', `round(([q${Math.max(1, i - 4)}] * 2) / 3, 1)`],
    [...base.slice(0, 3), 'slider', base[4] ?? '', 'Low | Middle | High', '', 'number'],
    [...base.slice(0, 3), 'notes', base[4] ?? '', '', 'Several lines\nare fine here'],
  ];
  const variant = variants[i % variants.length] ?? base;
  const cells = [...variant, ...Array<string>(18).fill('')].slice(0, 18);
  cells[11] = branching;
  cells[12] = base[12] ?? '';
  cells[17] = annotation;
  return cells;
}

export function generateDictionary(fields: number, fieldsPerForm = 50): string {
  const rows = Array.from({ length: fields }, (_, i) => row(i, fieldsPerForm).map(quote).join(','));
  return `${HEADER}\n${rows.join('\n')}\n`;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

export const dictionaryBenchmark: Benchmark = {
  name: 'dictionary load + check (2,000 generated fields)',
  async run() {
    const csv = generateDictionary(2000);
    const bytes = new TextEncoder().encode(csv);
    const first = checkDictionary(bytes, 'csv');
    if (first.errors.length > 0 || first.fieldCount !== 2000) {
      throw new Error(`the generated dictionary did not load: ${JSON.stringify(first.errors.slice(0, 3))}`);
    }
    const timings: number[] = [];
    for (let run = 0; run < 9; run++) {
      const start = performance.now();
      checkDictionary(bytes, 'csv');
      timings.push(performance.now() - start);
    }
    const ms = median(timings);
    return [
      `${first.fieldCount} fields in ${first.instruments.length} instruments, ${(bytes.length / 1024).toFixed(0)} KiB CSV`,
      `median of ${timings.length} runs: ${ms.toFixed(1)} ms (target < 300 ms) ${ms < 300 ? 'OK' : 'SLOW'}`,
    ];
  },
};
