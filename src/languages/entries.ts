/**
 * The items of an MLM export, whatever file they came from: one translated text each, with where it was
 * found. The JSON and CSV readers produce these; `buildTranslation` turns them into a Translation.
 */
import { parseCatalog } from '../messages/parse-catalog.js';
import { stringify } from 'yaml';
import type { FieldTranslation, SurveyTexts, TranslationLoad, TranslationProblem } from './translation.js';

/** REDCap MLM's names for the translatable items an SMS conversation uses. */
export const ENTRY_TYPES = [
  'field-label', 'field-header', 'field-note', 'field-enum',
  'survey-title', 'survey-instructions', 'survey-acknowledgement', 'ui',
] as const;
export type EntryType = (typeof ENTRY_TYPES)[number];

export interface Entry {
  at: string;
  type: EntryType;
  /** Field, instrument or message-catalog key. */
  name: string;
  /** The choice code, for `field-enum`. */
  index?: string;
  text: string;
}

export interface Header {
  language: string;
  display?: string;
  rtl: boolean;
}

const SURVEY_KEYS = {
  'survey-title': 'title',
  'survey-instructions': 'instructions',
  'survey-acknowledgement': 'endText',
} as const satisfies Partial<Record<EntryType, keyof SurveyTexts>>;

const FIELD_KEYS = {
  'field-label': 'label',
  'field-header': 'sectionHeader',
  'field-note': 'note',
} as const satisfies Partial<Record<EntryType, keyof FieldTranslation>>;

/**
 * Entries → a Translation. Blank texts are untranslated items (REDCap exports every item, translated or
 * not) and fall back to the dictionary; an item given twice is an error, since one of them would be lost.
 */
export function buildTranslation(header: Header, entries: readonly Entry[]): TranslationLoad {
  const problems: TranslationProblem[] = [];
  const seen = new Map<string, string>();
  const fields: Record<string, { label?: string; sectionHeader?: string; note?: string; choices: Record<string, string> }> = {};
  const surveys: Record<string, SurveyTexts> = {};
  const messages: Record<string, string> = {};
  for (const entry of entries) {
    if (entry.text.trim() === '') continue;
    const id = `${entry.type} ${entry.name}${entry.index === undefined ? '' : ` (${entry.index})`}`;
    const first = seen.get(id);
    if (first !== undefined) {
      problems.push({ at: entry.at, message: `${id} is translated twice (first at ${first})` });
      continue;
    }
    seen.set(id, entry.at);
    if (entry.type === 'ui') {
      messages[entry.name] = entry.text;
    } else if (entry.type === 'field-enum') {
      (fields[entry.name] ??= { choices: {} }).choices[entry.index ?? ''] = entry.text;
    } else if (entry.type in FIELD_KEYS) {
      (fields[entry.name] ??= { choices: {} })[FIELD_KEYS[entry.type as keyof typeof FIELD_KEYS]] = entry.text;
    } else {
      (surveys[entry.name] ??= {})[SURVEY_KEYS[entry.type as keyof typeof SURVEY_KEYS]] = entry.text;
    }
  }
  problems.push(...messageProblems(messages, entries));
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    translation: {
      language: header.language,
      ...(header.display === undefined ? {} : { display: header.display }),
      rtl: header.rtl,
      fields,
      surveys,
      messages: Object.freeze(messages),
    },
  };
}

/** System texts are message-catalog keys, with the placeholders their English text offers. */
function messageProblems(messages: Record<string, string>, entries: readonly Entry[]): TranslationProblem[] {
  if (Object.keys(messages).length === 0) return [];
  const load = parseCatalog(stringify(messages));
  if (load.ok) return [];
  return load.errors.map((problem) => {
    const key = problem.slice(0, problem.indexOf(':'));
    const entry = entries.find((candidate) => candidate.type === 'ui' && candidate.name === key);
    return { at: entry?.at ?? 'ui', message: `system text ${problem}` };
  });
}
