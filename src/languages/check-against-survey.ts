/**
 * An MLM export checked against the data dictionary it translates: every field, choice and instrument it
 * names must exist, and a choice field it translates must have every choice translated, or a participant
 * would read a question in one language and its choices in another.
 */
import type { Field, Survey } from '../dictionary/model.js';
import type { Entry } from './entries.js';
import type { TranslationProblem } from './translation.js';

/** Choices whose labels come from the message catalog (`choice.yes`…), not from the dictionary. */
const CATALOG_CHOICES = new Set(['yesno', 'truefalse']);

export function checkAgainstSurvey(entries: readonly Entry[], survey: Survey): TranslationProblem[] {
  const fields = new Map(survey.fields.map((field) => [field.name, field]));
  const instruments = new Set(survey.instruments.map((instrument) => instrument.name));
  const problems: TranslationProblem[] = [];
  const translated = new Map<string, { at: string; codes: Set<string> }>();
  for (const entry of entries) {
    if (entry.type === 'ui' || entry.text.trim() === '') continue;
    if (entry.type.startsWith('survey-')) {
      if (!instruments.has(entry.name)) problems.push({ at: entry.at, message: `unknown instrument "${entry.name}"` });
      continue;
    }
    const field = fields.get(entry.name);
    if (field === undefined) {
      problems.push({ at: entry.at, message: `unknown field "${entry.name}"` });
      continue;
    }
    const seen = translated.get(field.name) ?? { at: entry.at, codes: new Set<string>() };
    translated.set(field.name, seen);
    if (entry.type === 'field-enum') {
      const problem = choiceProblem(field, entry.index ?? '');
      if (problem === null) seen.codes.add(entry.index ?? '');
      else problems.push({ at: entry.at, message: problem });
    }
  }
  for (const [name, { at, codes }] of translated) {
    const field = fields.get(name);
    if (field === undefined || !hasOwnChoices(field)) continue;
    const missing = field.choices.filter((choice) => !codes.has(choice.code));
    if (missing.length > 0) {
      problems.push({ at, message: `field "${name}": no translation for choice ${missing.map((c) => `${c.code} (${c.label})`).join(', ')}` });
    }
  }
  return problems;
}

const hasOwnChoices = (field: Field): boolean => field.choices.length > 0 && !CATALOG_CHOICES.has(field.type) && field.type !== 'calc';

function choiceProblem(field: Field, code: string): string | null {
  if (!hasOwnChoices(field)) return `field "${field.name}" (${field.type}) has no choices to translate`;
  if (field.choices.some((choice) => choice.code === code)) return null;
  return `field "${field.name}" has no choice "${code}" (its choices: ${field.choices.map((c) => c.code).join(', ')})`;
}
