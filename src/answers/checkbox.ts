import type { ActionTags, Choice, Field } from '../dictionary/model.js';
import { message, type Catalog } from '../messages/catalog.js';
import { checkboxColumns } from './checkbox-exports.js';
import { codesInWords, matchChoice } from './choices.js';
import { failWith, okValue, type Checked, type RecordData } from './types.js';

export interface CheckboxReply {
  reply: string;
  field: Field;
  tags: ActionTags;
  /** The options on offer now (after @HIDECHOICE/@SHOWCHOICE). */
  offered: Choice[];
  catalog: Catalog;
  record: RecordData;
}

/** Several codes or labels in one text ("1,3", "1 3", "Red and Blue"), stored as every `field___code`. */
export function parseCheckbox(input: CheckboxReply): Checked<RecordData> {
  const picked = pickChoices(input);
  if (!picked.ok) return picked;
  const chosen = [...new Map(picked.value.map((c) => [c.code, c])).values()];
  if (chosen.length === 0) return failWith('reply.empty');
  const rule = exclusivityOrCap(chosen, input.tags);
  if (!rule.ok) return rule;
  return okValue(checkboxValues(input, new Set(chosen.map((c) => c.code))));
}

function pickChoices(input: CheckboxReply): Checked<Choice[]> {
  const whole = matchChoice(input.reply, input.offered, input.field, input.catalog);
  if (whole !== undefined) return okValue([whole]);
  const chunks = input.reply.split(/[,;\n]+/).map((s) => s.trim()).filter((s) => s !== '');
  return matchAll(chunks, (chunk) => matchChunk(chunk, input));
}

/** A chunk is one option, options joined by "and"/"&"/"+", or codes separated by spaces. */
function matchChunk(chunk: string, input: CheckboxReply): Checked<Choice[]> {
  const one = matchChoice(chunk, input.offered, input.field, input.catalog);
  if (one !== undefined) return okValue([one]);
  const joined = chunk.split(conjunction(input.catalog)).map((s) => s.trim()).filter((s) => s !== '');
  if (joined.length > 1) return matchAll(joined, (part) => matchChunk(part, input));
  const words = chunk.split(/\s+/).filter((s) => s !== '');
  if (words.length > 1) return matchAll(words, (word) => matchSingle(word, input));
  return matchSingle(chunk, input);
}

/** Every piece must name options; the first that does not is the reason. */
function matchAll(pieces: string[], match: (piece: string) => Checked<Choice[]>): Checked<Choice[]> {
  const found: Choice[] = [];
  for (const piece of pieces) {
    const result = match(piece);
    if (!result.ok) return result;
    found.push(...result.value);
  }
  return okValue(found);
}

function matchSingle(piece: string, input: CheckboxReply): Checked<Choice[]> {
  const choice = matchChoice(piece, input.offered, input.field, input.catalog);
  if (choice !== undefined) return okValue([choice]);
  return failWith('reply.checkbox.unknown', {
    token: [...piece].slice(0, 20).join(''),
    codes: codesInWords(input.offered, input.catalog),
  });
}

function conjunction(catalog: Catalog): RegExp {
  const and = message(catalog, 'words.and').trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`\\s+${and}\\s+|\\s*[&+]\\s*`, 'iu');
}

/** `@NONEOFTHEABOVE` options stand alone; `@MAXCHECKED` caps the count. */
function exclusivityOrCap(chosen: Choice[], tags: ActionTags): Checked<true> {
  const exclusive = chosen.find((c) => tags.noneOfTheAbove.includes(c.code));
  if (exclusive !== undefined && chosen.length > 1) {
    return failWith('reply.checkbox.exclusive', { label: exclusive.label });
  }
  if (tags.maxChecked !== undefined && chosen.length > tags.maxChecked) {
    return failWith('reply.checkbox.maxChecked', { max: tags.maxChecked });
  }
  return okValue(true);
}

/** Offered options become 1/0; options hidden from this participant keep whatever the record had. */
function checkboxValues(input: CheckboxReply, chosen: Set<string>): RecordData {
  const offered = new Set(input.offered.map((c) => c.code));
  const values: RecordData = {};
  for (const { code, column } of checkboxColumns(input.field)) {
    values[column] = offered.has(code) ? (chosen.has(code) ? '1' : '0') : input.record[column] === '1' ? '1' : '0';
  }
  return values;
}
