import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseDictionary } from '../../src/dictionary/index.js';
import type { Survey } from '../../src/dictionary/model.js';
import { compileLogic, type EvalContext, type RecordData, type Value } from '../../src/logic/index.js';

export const FIXTURES = join(import.meta.dirname, '../../fixtures/dictionaries');

/** Every real dictionary under fixtures/dictionaries (CSV and JSON), by file name. */
export function fixtureDictionaries(): string[] {
  return readdirSync(FIXTURES).filter((name) => /\.(csv|json)$/.test(name)).sort();
}

export function loadFixture(name: string): Survey {
  return surveyOf(readFileSync(join(FIXTURES, name)));
}

export function surveyOf(bytes: Uint8Array | string): Survey {
  const load = parseDictionary(bytes);
  if (load.survey === null) throw new Error(`fixture does not load: ${JSON.stringify(load.diagnostics.slice(0, 3))}`);
  return load.survey;
}

const HEADER = '"Variable / Field Name","Form Name","Section Header","Field Type","Field Label","Choices, Calculations, OR Slider Labels","Field Note","Text Validation Type OR Show Slider Number","Text Validation Min","Text Validation Max",Identifier?,"Branching Logic (Show field only if...)","Required Field?","Custom Alignment","Question Number (surveys only)","Matrix Group Name","Matrix Ranking?","Field Annotation"';

export interface Row {
  name: string;
  type: string;
  label?: string;
  choices?: string;
  note?: string;
  validation?: string;
  min?: string;
  max?: string;
  branching?: string;
  annotation?: string;
  section?: string;
}

/** A one-form dictionary written as the Designer would export it, parsed by the real loader. */
export function dictionary(rows: readonly Row[]): Survey {
  const cell = (text = ''): string => `"${text.replaceAll('"', '""')}"`;
  const lines = [{ name: 'record_id', type: 'text', label: 'ID' }, ...rows].map((row) => [
    row.name, 'form_a', row.section, row.type, row.label ?? row.name, row.choices, row.note, row.validation,
    row.min, row.max, '', row.branching, '', '', '', '', '', row.annotation,
  ].map(cell).join(','));
  return surveyOf([HEADER, ...lines].join('\n'));
}

/** A survey holding the fields most tests read. */
export const testSurvey: Survey = dictionary([
  { name: 'age', type: 'text', validation: 'integer' },
  { name: 'n', type: 'text', validation: 'number' },
  { name: 'm', type: 'text', validation: 'number' },
  { name: 'name', type: 'text' },
  { name: 'sex', type: 'radio', choices: '0, Female | 1, Male' },
  { name: 'cb', type: 'checkbox', choices: '1, Apples | 2, Pears | 3, Plums | OTH, Other' },
  { name: 'ok', type: 'yesno' },
  { name: 'dob', type: 'text', validation: 'date_ymd' },
  { name: 'visit', type: 'text', validation: 'date_mdy' },
  { name: 'seen_at', type: 'text', validation: 'datetime_ymd' },
  { name: 'seen_at_s', type: 'text', validation: 'datetime_seconds_ymd' },
  { name: 'bmi', type: 'calc', choices: 'round([weight]/(([height]/100)^(2)),1)' },
  { name: 'weight', type: 'text', validation: 'number' },
  { name: 'height', type: 'text', validation: 'number' },
]);

export const NOW = new Date('2024-03-10T15:04:05Z');

export function ctx(record: RecordData = {}, extra: Partial<EvalContext> = {}, survey: Survey = testSurvey): EvalContext {
  return { survey, record, now: NOW, timeZone: 'UTC', ...extra };
}

/** Evaluates one expression against the test survey. */
export function evaluate(expression: string, record: RecordData = {}, extra: Partial<EvalContext> = {}, survey: Survey = testSurvey): Value {
  const compiled = compileLogic(expression, survey);
  if (!compiled.ok) throw compiled.error;
  return compiled.evaluate(ctx(record, extra, survey));
}
