/**
 * A project's languages: the dictionary's own (the default) and each translated one, with the words that
 * switch to it and the keywords it adds. Pure data, built once per project by the shell.
 */
import type { RecordData } from '../logic/index.js';
import type { Catalog } from '../messages/catalog.js';
import type { Translation } from './translation.js';

/** The keyword lists a language may add to (see ConversationSettings' `keywords`). */
export const KEYWORD_LISTS = ['stop', 'start', 'startWhileOptedOut', 'help', 'skip', 'back', 'repeat', 'confirm'] as const;
export type KeywordList = (typeof KEYWORD_LISTS)[number];

export interface LanguageOption {
  id: string;
  /** Whole-message words that switch a conversation to this language (`ESPAÑOL`, `ENGLISH`). */
  switchWords: readonly string[];
  /** Keywords in this language, understood in every conversation (`ALTO`, `AYUDA`). */
  keywords: { readonly [list in KeywordList]?: readonly string[] | undefined };
  /** The MLM translation; null for the dictionary's own language. */
  translation: Translation | null;
  /** System texts in this language (a catalog file); the translation's own system texts win. */
  catalog: Catalog;
}

export interface Languages {
  /** The first is the dictionary's own language, used when nothing else decides. */
  options: readonly LanguageOption[];
  /** A record field holding a participant's language id, like REDCap MLM's language field. */
  field: string | null;
}

export const NO_LANGUAGES: Languages = Object.freeze({ options: [], field: null });

export function languageOption(languages: Languages, id: string | undefined): LanguageOption | undefined {
  if (id === undefined) return undefined;
  const wanted = id.trim().toLowerCase();
  return languages.options.find((option) => option.id.toLowerCase() === wanted);
}

/**
 * The language a new conversation speaks: the one the invitation chose, else the record's language
 * field, else the default. An unknown id falls through to the next, so a stale field never silences a
 * participant.
 */
export function startingLanguage(languages: Languages, record: RecordData, chosen?: string): string | undefined {
  const fromField = languages.field === null ? undefined : record[languages.field];
  return (languageOption(languages, chosen) ?? languageOption(languages, fromField) ?? languages.options[0])?.id;
}

/** The system texts of `language`: its catalog file under its MLM system texts; the project's own for the default. */
export function languageCatalog(projectCatalog: Catalog, languages: Languages, language: string | undefined): Catalog {
  const option = languageOption(languages, language);
  if (option === undefined || option === languages.options[0]) return projectCatalog;
  let catalog = catalogs.get(option);
  if (catalog === undefined) {
    catalog = Object.freeze({ ...option.catalog, ...option.translation?.messages });
    catalogs.set(option, catalog);
  }
  return catalog;
}

const catalogs = new WeakMap<LanguageOption, Catalog>();
