import type { Survey } from '../dictionary/model.js';
import { checkAgainstSurvey } from './check-against-survey.js';
import { buildTranslation } from './entries.js';
import { readMlmCsv } from './mlm-csv.js';
import { readMlmJson } from './mlm-json.js';
import type { TranslationLoad } from './translation.js';

export type TranslationFormat = 'json' | 'csv';

export interface TranslationSource {
  text: string;
  /** The language the project file names for this file; a JSON export must be for that language. */
  language: string;
  format?: TranslationFormat;
  /** When given, every field, choice and instrument named must exist in it. */
  survey?: Survey;
}

/** An MLM export (JSON or CSV) → one language's Translation, or every problem of the file at once. */
export function parseTranslation(source: TranslationSource): TranslationLoad {
  const format = source.format ?? (/^\s*\{/.test(source.text) ? 'json' : 'csv');
  const read = format === 'json' ? readMlmJson(source.text) : readMlmCsv(source.text, source.language);
  if (!read.ok) return { ok: false, problems: read.problems };
  if (read.header.language !== source.language) {
    return { ok: false, problems: [{ at: 'key', message: `the file translates language "${read.header.language}", but it is configured for "${source.language}"` }] };
  }
  const problems = source.survey === undefined ? [] : checkAgainstSurvey(read.entries, source.survey);
  const built = buildTranslation(read.header, read.entries);
  if (!built.ok) return { ok: false, problems: [...problems, ...built.problems] };
  return problems.length > 0 ? { ok: false, problems } : built;
}
