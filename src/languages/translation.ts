/**
 * One language's translation of a project, as REDCap's Multi-Language Management (MLM) keeps it:
 * field texts, choice labels, survey texts per instrument and system texts. Plain JSON, so it can be
 * compared, frozen and memoised; texts a translation leaves out fall back to the dictionary's own.
 */
import type { Catalog } from '../messages/catalog.js';

export interface FieldTranslation {
  label?: string;
  sectionHeader?: string;
  note?: string;
  /** Choice label by choice code. */
  choices: Readonly<Record<string, string>>;
}

/** An instrument's survey texts, as REDCap's Survey Settings name them. */
export interface SurveyTexts {
  title?: string;
  instructions?: string;
  /** REDCap's "survey completion text" (MLM: `survey-acknowledgement`). */
  endText?: string;
}

export interface Translation {
  /** The MLM language id (`es`, `ar`, `en-US`…). */
  language: string;
  /** The language's name in itself (`Español`), when the file gives it. */
  display?: string;
  rtl: boolean;
  fields: Readonly<Record<string, FieldTranslation>>;
  surveys: Readonly<Record<string, SurveyTexts>>;
  /** System texts by message-catalog key. */
  messages: Catalog;
}

/** Where in the file a problem is, and what it is: the line (CSV) or the JSON path, then the reason. */
export interface TranslationProblem {
  at: string;
  message: string;
}

export type TranslationLoad =
  | { ok: true; translation: Translation }
  | { ok: false; problems: TranslationProblem[] };

export const problemText = (problem: TranslationProblem): string => `${problem.at}: ${problem.message}`;
