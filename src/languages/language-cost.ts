/**
 * What each language costs by SMS: the per-instrument segment estimate of `dictionary check`, run on the
 * survey as each language reads it, and the texts whose characters put a whole text into UCS-2 (70
 * characters a segment, 67 when split, instead of GSM-7's 160 and 153), so a study team knows what to
 * rephrase or budget for.
 */
import { countSegments, htmlToText, instrumentCost, type InstrumentCost } from '../answers/index.js';
import type { Field, Survey } from '../dictionary/model.js';
import type { Catalog } from '../messages/catalog.js';
import { localizeSurvey } from './localize.js';
import type { SurveyTexts, Translation } from './translation.js';

export interface Ucs2Text {
  /** Which text: `phq1 label`, `phq1 choice 2`, `survey title`… */
  text: string;
  /** The first character outside GSM-7. */
  character: string;
}

export interface LanguageInstrumentCost extends InstrumentCost {
  ucs2: Ucs2Text[];
}

export interface LanguageCost {
  language: string;
  instruments: LanguageInstrumentCost[];
  /** System texts of this language (hints, errors, keyword replies) that go to UCS-2. */
  systemTexts: Ucs2Text[];
}

export interface CostedLanguage {
  id: string;
  /** Null for the dictionary's own language. */
  translation: Translation | null;
  catalog: Catalog;
}

export function languageCosts(survey: Survey, languages: readonly CostedLanguage[], surveyTexts: Readonly<Record<string, SurveyTexts>> = {}): LanguageCost[] {
  return languages.map(({ id, translation, catalog }) => {
    const localized = translation === null ? survey : localizeSurvey(survey, translation);
    return {
      language: id,
      instruments: localized.instruments.map(({ name }) => ({
        ...instrumentCost(localized, name, catalog),
        ucs2: [
          ...localized.fields.filter((field) => field.form === name && !field.formStatus).flatMap(fieldUcs2),
          ...surveyUcs2({ ...surveyTexts[name], ...translation?.surveys[name] }),
        ],
      })),
      systemTexts: Object.entries(catalog).flatMap(([key, value]) => ucs2(key, value)),
    };
  });
}

function fieldUcs2(field: Field): Ucs2Text[] {
  const texts: [string, string][] = [
    [`${field.name} section header`, field.sectionHeader],
    [`${field.name} label`, field.label],
    [`${field.name} note`, field.note],
    ...field.choices.map((choice): [string, string] => [`${field.name} choice ${choice.code}`, choice.label]),
  ];
  return texts.flatMap(([text, value]) => ucs2(text, htmlToText(value)));
}

function surveyUcs2(texts: SurveyTexts): Ucs2Text[] {
  return [
    ...ucs2('survey title', texts.title ?? ''),
    ...ucs2('survey instructions', texts.instructions ?? ''),
    ...ucs2('survey end text', texts.endText ?? ''),
  ];
}

function ucs2(text: string, value: string): Ucs2Text[] {
  if (countSegments(value).encoding === 'GSM-7') return [];
  const character = [...value].find((c) => countSegments(c).encoding === 'UCS-2') ?? '';
  return [{ text, character }];
}
