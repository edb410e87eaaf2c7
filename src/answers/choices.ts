import type { ActionTags, Choice, Field, Survey } from '../dictionary/model.js';
import { message, wordList, type Catalog } from '../messages/catalog.js';
import { htmlToText } from './html.js';
import type { RecordData } from './types.js';

/** The options a participant may pick right now, in dictionary order. */
export function offeredChoices(field: Field, tags: ActionTags, catalog: Catalog, survey: Survey, record: RecordData): Choice[] {
  const shown = tags.showChoice;
  const hidden = new Set(tags.hideChoice);
  const taken = rankedElsewhere(field, survey, record);
  return allChoices(field, catalog).filter(
    (c) => (shown === undefined || shown.includes(c.code)) && !hidden.has(c.code) && !taken.has(c.code),
  );
}

/** yes/no and true/false use the catalog's labels so a translated catalog translates them too. */
export function allChoices(field: Field, catalog: Catalog): Choice[] {
  if (field.type === 'yesno') return fixedPair(catalog, 'choice.yes', 'choice.no');
  if (field.type === 'truefalse') return fixedPair(catalog, 'choice.true', 'choice.false');
  return field.choices;
}

function fixedPair(catalog: Catalog, yesKey: string, noKey: string): Choice[] {
  return [
    { code: '1', label: message(catalog, yesKey) },
    { code: '0', label: message(catalog, noKey) },
  ];
}

/** In a ranking matrix a choice used by one row is gone from the others (REDCap does the same). */
function rankedElsewhere(field: Field, survey: Survey, record: RecordData): Set<string> {
  const matrix = field.matrix;
  if (matrix === null || !matrix.ranking) return new Set();
  const rows = survey.fields.filter((f) => f.matrix?.group === matrix.group && f.name !== field.name);
  return new Set(rows.map((row) => record[row.name] ?? '').filter((v) => v !== ''));
}

/** REDCap's list: `(1) Good, (2) OK, (3) Bad.` */
export function choiceList(choices: Choice[], labelOf: (c: Choice) => string): string {
  if (choices.length === 0) return '';
  return `${choices.map((c) => `(${c.code}) ${labelOf(c)}`).join(', ')}.`;
}

/** "1, 2 or 3", for messages that name the valid codes. */
export function codesInWords(choices: Choice[], catalog: Catalog): string {
  const codes = choices.map((c) => c.code);
  if (codes.length <= 1) return codes.join('');
  const or = message(catalog, 'words.or');
  return `${codes.slice(0, -1).join(', ')} ${or} ${codes.at(-1) ?? ''}`;
}

/** Lower case, accents and punctuation gone, single spaces: "(2)", "2." and " 2 " all read as "2". */
export function looseText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLocaleLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * The option a reply names: its code (exactly, loosely, or as the same whole number), its label,
 * "code label" together, or for yes/no and true/false one of the catalog's words.
 */
export function matchChoice(reply: string, choices: Choice[], field: Field, catalog: Catalog): Choice | undefined {
  const raw = reply.trim().toLocaleLowerCase();
  const loose = looseText(reply);
  if (loose === '' && raw === '') return undefined;
  return (
    choices.find((c) => c.code.toLocaleLowerCase() === raw) ??
    choices.find((c) => looseText(c.code) === loose && loose !== '') ??
    choices.find((c) => sameWholeNumber(c.code, raw)) ??
    choices.find((c) => looseText(htmlToText(c.label)) === loose && loose !== '') ??
    choices.find((c) => `${looseText(c.code)} ${looseText(htmlToText(c.label))}` === loose) ??
    choices.find((c) => synonymsFor(field, c.code, catalog).includes(loose))
  );
}

function sameWholeNumber(code: string, reply: string): boolean {
  return /^\d{1,9}$/.test(code) && /^\d{1,9}$/.test(reply) && Number(code) === Number(reply);
}

function synonymsFor(field: Field, code: string, catalog: Catalog): string[] {
  const key = SYNONYM_KEYS[field.type]?.[code];
  return key === undefined ? [] : wordList(catalog, key).map(looseText);
}

const SYNONYM_KEYS: Partial<Record<Field['type'], Record<string, string>>> = {
  yesno: { '1': 'words.yes', '0': 'words.no' },
  truefalse: { '1': 'words.true', '0': 'words.false' },
};
