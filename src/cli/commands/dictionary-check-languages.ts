/**
 * `dictionary check --mlm <file...>`: REDCap MLM exports checked against the dictionary, and the SMS cost
 * of each language (segments per instrument, and the texts that would go to UCS-2).
 */
import { basename } from 'node:path';
import { parseDictionary } from '../../dictionary/index.js';
import { languageCosts, parseTranslation, problemText, type CostedLanguage, type LanguageCost, type Ucs2Text } from '../../languages/index.js';
import { englishCatalog } from '../../messages/catalog.js';
import { readTextFile, UsageError, type CliIo } from '../io.js';

export interface LanguagesCheck {
  /** `es.json: fieldTranslations[2] (mood): unknown field "mood"`, one per problem. */
  errors: string[];
  costs: LanguageCost[];
}

/**
 * `argument` is a JSON export (its `key` names the language) or `lang=file` (a CSV, which names none).
 * The dictionary's own language comes first, as `default`.
 */
export function checkLanguages(io: CliIo, dictionary: Uint8Array, hint: 'csv' | 'json' | undefined, mlmArguments: readonly string[]): LanguagesCheck {
  const survey = parseDictionary(dictionary, hint).survey;
  if (survey === null) return { errors: [], costs: [] };
  const errors: string[] = [];
  // The English catalog is costed in full; a translation's own system texts are what it adds.
  const languages: CostedLanguage[] = [{ id: 'default', translation: null, catalog: englishCatalog }];
  for (const argument of mlmArguments) {
    const { language, file } = splitArgument(argument);
    const text = readTextFile(io, file);
    const load = parseTranslation({ text, language: language ?? jsonLanguage(text, file), survey, ...(/\.csv$/i.test(file) ? { format: 'csv' as const } : {}) });
    if (load.ok) languages.push({ id: load.translation.language, translation: load.translation, catalog: load.translation.messages });
    else errors.push(...load.problems.map((problem) => `${basename(file)}: ${problemText(problem)}`));
  }
  return { errors, costs: languageCosts(survey, languages) };
}

function splitArgument(argument: string): { language?: string; file: string } {
  const match = /^([A-Za-z0-9_-]+)=(.+)$/.exec(argument);
  return match === null ? { file: argument } : { language: match[1] ?? '', file: match[2] ?? '' };
}

/** A JSON export names its language; a CSV needs `lang=file`. */
function jsonLanguage(text: string, file: string): string {
  try {
    const key = (JSON.parse(text) as { key?: unknown }).key;
    if (typeof key === 'string') return key;
  } catch {
    // parseTranslation reports the JSON problem itself.
  }
  if (/\.csv$/i.test(file)) throw new UsageError(`--mlm ${file}: a CSV export names no language; write it as es=${file}`);
  return '';
}

const ucs2Line = (item: Ucs2Text): string => `    UCS-2 (70 characters a segment): ${item.text}, for "${item.character}"`;

export function renderLanguages(check: LanguagesCheck): string[] {
  if (check.costs.length <= 1 && check.errors.length === 0 && check.costs.every((cost) => cost.systemTexts.length === 0 && cost.instruments.every((i) => i.ucs2.length === 0))) return [];
  const lines = ['', 'SMS cost by language:'];
  for (const cost of check.costs) {
    for (const instrument of cost.instruments) {
      lines.push(`  ${cost.language} ${instrument.instrument}: ${instrument.totalSegments} segments per survey, at most ${instrument.longestSegments} per question`);
      lines.push(...instrument.ucs2.map(ucs2Line));
    }
    if (cost.systemTexts.length > 0) lines.push(`  ${cost.language} system texts:`, ...cost.systemTexts.map(ucs2Line));
  }
  if (check.errors.length > 0) lines.push('', `Translation errors (${check.errors.length}):`, ...check.errors.map((error) => `  ${error}`));
  return lines;
}
