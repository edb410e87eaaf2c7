import type { Field, Survey } from '../dictionary/model.js';
import { memoPair } from './memo.js';
import type { FieldTranslation, Translation } from './translation.js';

/**
 * The survey as a participant reading `translation` sees it: labels, section headers, notes and choice
 * labels replaced where translated, codes, logic and everything else unchanged. Replies are then matched
 * against the translated labels (and the codes), and prompts render in that language, by the same code
 * that serves the dictionary's own language. Memoised, so each language compiles its logic once.
 */
export const localizeSurvey: (survey: Survey, translation: Translation) => Survey = memoPair((survey: Survey, translation: Translation) => ({
  ...survey,
  fields: survey.fields.map((field) => localizeField(field, translation.fields[field.name])),
}));

function localizeField(field: Field, translation: FieldTranslation | undefined): Field {
  if (translation === undefined) return field;
  return {
    ...field,
    label: translation.label ?? field.label,
    sectionHeader: translation.sectionHeader ?? field.sectionHeader,
    note: translation.note ?? field.note,
    choices: field.choices.map((choice) => ({ ...choice, label: translation.choices[choice.code] ?? choice.label })),
  };
}
