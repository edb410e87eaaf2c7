/** Every kind of bad dictionary is an error that names the line (or JSON index), field, column and reason. */
import { describe, expect, it } from 'vitest';
import { parseDictionary } from '../../src/dictionary/index.js';
import type { Diagnostic } from '../../src/dictionary/model.js';
import { readFixture } from './helpers.js';

type Where = Pick<Diagnostic, 'line' | 'index' | 'field' | 'column'>;
interface Case {
  file: string;
  errors: (Where & { reason: RegExp })[];
}

const CASES: Case[] = [
  { file: 'empty.csv', errors: [{ line: 1, reason: /file is empty/ }] },
  {
    file: 'misspelled-column.csv',
    errors: [{ line: 1, column: 'Feild Type', reason: /required column "Field Type" is missing; is "Feild Type" a misspelling/ }],
  },
  { file: 'missing-column.csv', errors: [{ line: 1, column: 'Form Name', reason: /required column "Form Name" is missing/ }] },
  {
    file: 'duplicate-field.csv',
    errors: [{ line: 4, field: 'age', column: 'Variable / Field Name', reason: /duplicate field name "age": it is already defined at line 3/ }],
  },
  {
    file: 'invalid-field-name.csv',
    errors: [
      { line: 3, field: 'Age', column: 'Variable / Field Name', reason: /not a valid field name/ },
      { line: 5, field: '2nd_visit', column: 'Variable / Field Name', reason: /not a valid field name/ },
    ],
  },
  {
    file: 'checkbox-column-clash.csv',
    errors: [
      { line: 4, field: 'pets___1', column: 'Variable / Field Name', reason: /"pets___1" is also the export column of option "1" of checkbox "pets" \(line 3\)/ },
      { line: 5, field: 'sides', column: 'Choices, Calculations, OR Slider Labels', reason: /option "A" of checkbox "sides" exports as "sides___a", the same column as option "a" of "sides"/ },
    ],
  },
  {
    file: 'unknown-field-type.csv',
    errors: [{ line: 3, field: 'mood', column: 'Field Type', reason: /unknown field type "textbox"/ }],
  },
  {
    file: 'split-form.csv',
    errors: [{ line: 5, field: 'weight', column: 'Form Name', reason: /form "intake" is split into two blocks.*ends at line 3/ }],
  },
  {
    file: 'min-above-max.csv',
    errors: [
      { line: 3, field: 'age', column: 'Text Validation Min', reason: /minimum 120 is above the maximum 18/ },
      { line: 4, field: 'visit', column: 'Text Validation Min', reason: /minimum 2025-12-31 is above the maximum 2025-01-01/ },
      { line: 5, field: 'mood', column: 'Text Validation Min', reason: /slider minimum 100 is above its maximum 0/ },
    ],
  },
  {
    file: 'non-utf8.csv',
    errors: [{ line: 3, field: 'cafe', column: 'Field Label', reason: /not UTF-8 text \(invalid byte at offset \d+\)/ }],
  },
  { file: 'not-metadata.json', errors: [{ reason: /JSON is not dictionary metadata/ }] },
  {
    file: 'wrong-shape.json',
    errors: [
      { index: 1, field: 'age', column: 'text_validation_min', reason: /must be a string, not a number/ },
      { index: 2, field: 'mood', column: 'field_type', reason: /key "field_type" is missing/ },
      { index: 3, reason: /item 3 is not an object/ },
    ],
  },
  {
    // Several problems in one file, after a three-line cell: all reported at once, each on its own line.
    file: 'many-errors.csv',
    errors: [
      { line: 7, field: 'dup', column: 'Variable / Field Name', reason: /duplicate field name "dup": it is already defined at line 6/ },
      { line: 7, field: 'dup', column: 'Field Type', reason: /unknown field type "wrongtype"/ },
      { line: 8, field: 'Bad-Name', column: 'Variable / Field Name', reason: /not a valid field name/ },
      { line: 9, field: 'n', column: 'Text Validation Min', reason: /minimum 5 is above the maximum 1/ },
    ],
  },
];

const where = (d: Diagnostic): Where => ({
  ...(d.line !== undefined ? { line: d.line } : {}),
  ...(d.index !== undefined ? { index: d.index } : {}),
  ...(d.field !== undefined ? { field: d.field } : {}),
  ...(d.column !== undefined ? { column: d.column } : {}),
});

describe('bad dictionaries', () => {
  it.each(CASES)('when $file is loaded, then there is no survey and each error says where and why', ({ file, errors }) => {
    const load = parseDictionary(readFixture(`bad/${file}`));
    expect(load.survey).toBeNull();
    const actual = load.diagnostics.filter((d) => d.severity === 'error');
    expect(actual.map(where)).toEqual(errors.map(({ reason: _reason, ...place }) => place));
    actual.forEach((diagnostic, i) => expect(diagnostic.message).toMatch(errors[i]?.reason ?? /^$/));
  });

  it('when a file has only a header, then the error says it has no fields', () => {
    const header = readFixture('bad/duplicate-field.csv').toString('utf8').split('\n')[0] ?? '';
    const load = parseDictionary(`${header}\n`);
    expect(load.survey).toBeNull();
    expect(load.diagnostics).toEqual([expect.objectContaining({ severity: 'error', line: 2, message: expect.stringMatching(/no fields/) })]);
  });

  it('when a JSON file is not even JSON, then the error says so without a stack trace', () => {
    const load = parseDictionary('[{"field_name": ', 'json');
    expect(load.survey).toBeNull();
    expect(load.diagnostics).toHaveLength(1);
    expect(load.diagnostics[0]?.message).toMatch(/^the file is not valid JSON: /);
    expect(load.diagnostics[0]?.message).not.toMatch(/\n\s+at /);
  });

  it('when a field is named like a form status field, then it is an error', () => {
    const header = readFixture('bad/duplicate-field.csv').toString('utf8').split('\n')[0] ?? '';
    const load = parseDictionary(`${header}\nrecord_id,intake,,text,ID\nintake_complete,intake,,text,Done\n`);
    expect(load.diagnostics).toEqual([expect.objectContaining({
      severity: 'error', line: 3, field: 'intake_complete', message: expect.stringMatching(/reserved/),
    })]);
  });

  it('when a CSV has an unclosed quote, then the error names the line instead of throwing', () => {
    const header = readFixture('bad/duplicate-field.csv').toString('utf8').split('\n')[0] ?? '';
    const load = parseDictionary(`${header}\nrecord_id,intake,,text,"ID\n`);
    expect(load.survey).toBeNull();
    expect(load.diagnostics[0]).toEqual(expect.objectContaining({ severity: 'error', message: expect.stringMatching(/CSV cannot be read/) }));
  });
});
