import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseDictionary } from '../../src/dictionary/index.js';
import type { Survey } from '../../src/dictionary/model.js';

export const fixturePath = (name: string): string =>
  fileURLToPath(new URL(`../../fixtures/dictionaries/${name}`, import.meta.url));

export const readFixture = (name: string): Buffer => readFileSync(fixturePath(name));

export const DESIGNER_HEADER =
  '"Variable / Field Name","Form Name","Section Header","Field Type","Field Label","Choices, Calculations, OR Slider Labels","Field Note","Text Validation Type OR Show Slider Number","Text Validation Min","Text Validation Max",Identifier?,"Branching Logic (Show field only if...)","Required Field?","Custom Alignment","Question Number (surveys only)","Matrix Group Name","Matrix Ranking?","Field Annotation"';

/** A Designer CSV from rows written as their first cells; missing trailing cells are blank. */
export function designerCsv(...rows: string[][]): string {
  const quote = (cell: string): string => (/[",\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
  const lines = rows.map((row) => [...row, ...Array<string>(18 - row.length).fill('')].map(quote).join(','));
  return [DESIGNER_HEADER, ...lines].join('\n') + '\n';
}

/** Loads a dictionary that must have no errors. */
export function loadSurvey(input: Uint8Array | string, hint?: 'csv' | 'json'): Survey {
  const load = parseDictionary(input, hint);
  const errors = load.diagnostics.filter((d) => d.severity === 'error');
  if (!load.survey || errors.length > 0) throw new Error(`expected a survey, got ${JSON.stringify(errors)}`);
  return load.survey;
}

export const field = (survey: Survey, name: string) => {
  const found = survey.fields.find((f) => f.name === name);
  if (!found) throw new Error(`no field ${name}`);
  return found;
};
