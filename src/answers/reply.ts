import { message, type Catalog } from '../messages/catalog.js';
import { parseCheckbox } from './checkbox.js';
import { allChoices, codesInWords, matchChoice, offeredChoices } from './choices.js';
import { textFormat, type FormatContext } from './formats/index.js';
import { integerFormat } from './formats/numbers.js';
import { checkLimits } from './limits.js';
import { checkRange } from './range.js';
import { sliderScale } from './slider.js';
import type { Checked, RecordData, ReplyInput, ReplyOutcome } from './types.js';

/**
 * Reads a participant's reply to one question into REDCap's stored values, or says precisely why not.
 * Keywords (SKIP, STOP, YES…) are the conversation engine's business and never reach here.
 * Never throws: whatever arrives, the participant gets an answer.
 */
export function parseReply(input: ReplyInput): ReplyOutcome {
  try {
    return interpret({ ...input, text: cleanReply(input.text, input.field.type === 'notes') });
  } catch {
    return rejected(input.catalog, 'reply.unreadable');
  }
}

/** Control characters gone, Unicode composed; newlines survive only in notes. */
export function cleanReply(text: string, multiline: boolean): string {
  const composed = text.normalize('NFC').replace(/\r\n?/g, '\n');
  const flat = multiline ? composed : composed.replace(/[\n\t]+/g, ' ');
  // eslint-disable-next-line no-control-regex
  return flat.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '').trim();
}

function interpret(input: ReplyInput): ReplyOutcome {
  if (input.text === '') return rejected(input.catalog, 'reply.empty');
  switch (input.field.type) {
    case 'radio':
    case 'dropdown':
    case 'yesno':
    case 'truefalse':
      return choiceReply(input);
    case 'sql':
      return input.field.choices.length > 0 ? choiceReply(input) : rejected(input.catalog, 'reply.notAskable');
    case 'checkbox': {
      const ticked = parseCheckbox({ ...input, reply: input.text, offered: offered(input) });
      return ticked.ok ? accepted(ticked.value) : rejectedBecause(input.catalog, ticked);
    }
    case 'slider':
      return sliderReply(input);
    case 'text':
    case 'notes':
      return textReply(input);
    default:
      return rejected(input.catalog, 'reply.notAskable');
  }
}

function offered(input: ReplyInput): ReturnType<typeof offeredChoices> {
  return offeredChoices(input.field, input.tags, input.catalog, input.survey, input.record);
}

function choiceReply(input: ReplyInput): ReplyOutcome {
  const choices = offered(input);
  const choice = matchChoice(input.text, choices, input.field, input.catalog);
  if (choice !== undefined) return accepted({ [input.field.name]: choice.code });
  const codes = codesInWords(choices, input.catalog);
  const usedByAnotherRow =
    input.field.matrix?.ranking === true &&
    matchChoice(input.text, allChoices(input.field, input.catalog), input.field, input.catalog) !== undefined;
  return rejected(input.catalog, usedByAnotherRow ? 'reply.ranking.used' : 'reply.choice.unknown', { codes });
}

/** A slider stores a whole number inside its own scale; outside it there is nothing to confirm. */
function sliderReply(input: ReplyInput): ReplyOutcome {
  const { min, max } = sliderScale(input.field);
  const read = integerFormat.read(input.text.replace(/%$/, ''), formatContext(input));
  const value = read.ok ? Number(read.value) : NaN;
  if (!read.ok || value < min || value > max) return rejected(input.catalog, 'reply.slider.invalid', { min, max });
  return accepted({ [input.field.name]: read.value });
}

function textReply(input: ReplyInput): ReplyOutcome {
  const format = textFormat(input.field.type === 'text' ? input.field.validation : null);
  const context = formatContext(input);
  const read = format.read(input.text, context);
  if (!read.ok) return rejectedBecause(input.catalog, read);
  const limited = checkLimits(read.value, input.tags);
  if (!limited.ok) return rejectedBecause(input.catalog, limited);
  const values = { [input.field.name]: read.value };
  const range = checkRange(read.value, input.field, format, input.tags.forceMinMax, input.record, context);
  if (range.inside) return accepted(values);
  const text = message(input.catalog, range.key, range.params);
  return input.tags.forceMinMax ? { kind: 'rejected', message: text } : { kind: 'confirm', values, message: text };
}

function formatContext(input: ReplyInput): FormatContext {
  return { now: input.now, timeZone: input.timeZone, catalog: input.catalog };
}

function rejectedBecause(catalog: Catalog, failure: Extract<Checked<unknown>, { ok: false }>): ReplyOutcome {
  return rejected(catalog, failure.key, failure.params);
}

const accepted = (values: RecordData): ReplyOutcome => ({ kind: 'accepted', values });

function rejected(catalog: Catalog, key: string, params?: Record<string, string | number>): ReplyOutcome {
  return { kind: 'rejected', message: message(catalog, key, params) };
}
