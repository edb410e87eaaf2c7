/**
 * Builds a project's Languages from its `languages` key: reads each MLM export and catalog file named
 * (relative to the file that names them) and reports every problem with the key it came from.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseTranslation, problemText, type LanguageOption, type Languages } from '../languages/index.js';
import type { Survey } from '../dictionary/model.js';
import { parseCatalog } from '../messages/index.js';
import type { LanguageInput } from './languages-schema.js';

export interface LanguageProblem {
  /** The path under the `languages` key, e.g. [1, 'mlm']. */
  path: (string | number)[];
  message: string;
}

export type LanguagesLoad = { ok: true; languages: Languages } | { ok: false; problems: LanguageProblem[] };

export type ReadText = (path: string) => string;

const readUtf8: ReadText = (path) => readFileSync(path, 'utf8');

/** With `survey`, each translation is also checked against the dictionary (fields, choices, instruments). */
export function loadLanguages(
  inputs: readonly LanguageInput[], field: string | undefined, baseDir: string, survey?: Survey, read: ReadText = readUtf8,
): LanguagesLoad {
  const problems: LanguageProblem[] = [];
  const options = inputs.map((input, index): LanguageOption => ({
    id: input.id,
    switchWords: input.switch,
    keywords: input.keywords,
    translation: input.mlm === undefined ? null : translationOf(input, index, baseDir, survey, read, problems),
    catalog: input.catalog === undefined ? {} : catalogOf(input.catalog, index, baseDir, read, problems),
  }));
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, languages: { options, field: field ?? null } };
}

function fileText(file: string, path: (string | number)[], baseDir: string, read: ReadText, problems: LanguageProblem[]): string | null {
  try {
    return read(resolve(baseDir, file));
  } catch {
    problems.push({ path, message: `cannot read ${file}` });
    return null;
  }
}

function translationOf(input: LanguageInput, index: number, baseDir: string, survey: Survey | undefined, read: ReadText, problems: LanguageProblem[]) {
  const path = [index, 'mlm'];
  const text = fileText(input.mlm ?? '', path, baseDir, read, problems);
  if (text === null) return null;
  const load = parseTranslation({
    text, language: input.id, ...(survey === undefined ? {} : { survey }),
    ...(/\.csv$/i.test(input.mlm ?? '') ? { format: 'csv' as const } : {}),
  });
  if (load.ok) return load.translation;
  problems.push(...load.problems.map((problem) => ({ path, message: `${input.mlm}: ${problemText(problem)}` })));
  return null;
}

function catalogOf(file: string, index: number, baseDir: string, read: ReadText, problems: LanguageProblem[]) {
  const path = [index, 'catalog'];
  const text = fileText(file, path, baseDir, read, problems);
  if (text === null) return {};
  const load = parseCatalog(text);
  if (load.ok) return load.catalog;
  problems.push(...load.errors.map((message) => ({ path, message: `${file}: ${message}` })));
  return {};
}
