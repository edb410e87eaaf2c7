/**
 * REDCap MLM's JSON export of one language, read as the documented subset of decision 0060: the language
 * (`key`, `display`, `rtl`), `fieldTranslations` (label, header, note, enum), `surveyTranslations`
 * (survey-title, survey-instructions, survey-acknowledgement) and `uiTranslations`. Everything else an
 * export carries (alerts, ASIs, PDFs, notes…) has no SMS meaning and is ignored.
 */
import type { Entry, EntryType, Header } from './entries.js';
import type { TranslationProblem } from './translation.js';

type Json = Record<string, unknown>;

export type EntriesRead =
  | { ok: true; header: Header; entries: Entry[] }
  | { ok: false; problems: TranslationProblem[] };

const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);

export function readMlmJson(text: string): EntriesRead {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    return failed('file', `not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(document)) return failed('file', 'an MLM export is a JSON object with the language\'s `key`');
  const problems: TranslationProblem[] = [];
  const header = readHeader(document, problems);
  const entries = [
    ...readList(document, 'fieldTranslations', problems, fieldEntries),
    ...readList(document, 'surveyTranslations', problems, surveyEntries),
    ...readList(document, 'uiTranslations', problems, uiEntry),
  ];
  if (problems.length > 0 || header === null) return { ok: false, problems };
  return { ok: true, header, entries };
}

function failed(at: string, message: string): EntriesRead {
  return { ok: false, problems: [{ at, message }] };
}

function readHeader(document: Json, problems: TranslationProblem[]): Header | null {
  const { key, display, rtl } = document;
  if (typeof key !== 'string' || !/^[A-Za-z0-9_-]+$/.test(key)) {
    problems.push({ at: 'key', message: 'must be the MLM language id (letters, digits, - and _), e.g. "es"' });
    return null;
  }
  if (rtl !== undefined && typeof rtl !== 'boolean') problems.push({ at: 'rtl', message: 'must be true or false' });
  return { language: key, ...(typeof display === 'string' && display !== '' ? { display } : {}), rtl: rtl === true };
}

type ItemReader = (item: Json, at: string, id: string, problems: TranslationProblem[]) => Entry[];

function readList(document: Json, key: string, problems: TranslationProblem[], read: ItemReader): Entry[] {
  const list = document[key];
  if (list === undefined) return [];
  if (!Array.isArray(list)) {
    problems.push({ at: key, message: 'must be a list' });
    return [];
  }
  return list.flatMap((item, index) => {
    const at = `${key}[${index}]`;
    if (!isObject(item) || typeof item.id !== 'string' || item.id === '') {
      problems.push({ at, message: 'must be an object with an `id`' });
      return [];
    }
    return read(item, `${at} (${item.id})`, item.id, problems);
  });
}

/** A translated text: `{ "translation": "…" }` as MLM writes it, or a bare string. */
function textOf(value: unknown, at: string, problems: TranslationProblem[]): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (isObject(value) && (typeof value.translation === 'string' || value.translation === undefined)) {
    return value.translation as string | undefined;
  }
  problems.push({ at, message: 'must be a text or { "translation": text }' });
  return undefined;
}

function entry(type: EntryType, name: string, at: string, text: string | undefined, index?: string): Entry[] {
  if (text === undefined) return [];
  return [{ at, type, name, text, ...(index === undefined ? {} : { index }) }];
}

const FIELD_PARTS = [['label', 'field-label'], ['header', 'field-header'], ['note', 'field-note']] as const;

const fieldEntries: ItemReader = (item, at, id, problems) => {
  const parts = FIELD_PARTS.flatMap(([key, type]) => entry(type, id, `${at}.${key}`, textOf(item[key], `${at}.${key}`, problems)));
  const choices = item.enum;
  if (choices === undefined) return parts;
  if (!Array.isArray(choices)) {
    problems.push({ at: `${at}.enum`, message: 'must be a list of { "id": code, "translation": label }' });
    return parts;
  }
  return [...parts, ...choices.flatMap((choice, index) => {
    const where = `${at}.enum[${index}]`;
    if (!isObject(choice) || (typeof choice.id !== 'string' && typeof choice.id !== 'number')) {
      problems.push({ at: where, message: 'must be { "id": code, "translation": label }' });
      return [];
    }
    return entry('field-enum', id, `${where} (${choice.id})`, textOf(choice, where, problems), String(choice.id));
  })];
};

const SURVEY_PARTS = ['survey-title', 'survey-instructions', 'survey-acknowledgement'] as const;

const surveyEntries: ItemReader = (item, at, id, problems) =>
  SURVEY_PARTS.flatMap((key) => entry(key, id, `${at}.${key}`, textOf(item[key], `${at}.${key}`, problems)));

const uiEntry: ItemReader = (item, at, id, problems) => entry('ui', id, at, textOf(item, at, problems));
