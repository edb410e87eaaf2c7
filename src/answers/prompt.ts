import { offeredChoices } from './choices.js';
import { answerHint } from './hints.js';
import { htmlToText } from './html.js';
import { countSegments } from './segments.js';
import { MAX_BODY_CHARS, splitAtWord } from './split-message.js';
import type { Prompt, PromptInput } from './types.js';

const BLOCK_SEPARATOR = '\n\n';
/** Too little room left in a body is not worth a cut mid-block. */
const MIN_FILL = 20;

/**
 * The question as the participant reads it: lead texts (section header, descriptive text) and the
 * question in one message when it all fits, otherwise ordered parts, each within Twilio's limit.
 */
export function renderPrompt(input: PromptInput): Prompt {
  const plain = (text: string): string => htmlToText(input.pipe(text));
  const leads = input.lead.map(plain).filter((t) => t !== '');
  const blocks = [...leads, questionText(input, plain)].filter((t) => t !== '');
  const parts = packParts(blocks);
  const segments = parts.reduce((sum, part) => sum + countSegments(part).segments, 0);
  return { text: blocks.join(BLOCK_SEPARATOR), parts, segments };
}

function questionText(input: PromptInput, plain: (text: string) => string): string {
  const offered = offeredChoices(input.field, input.tags, input.catalog, input.survey, input.record);
  const hint = answerHint({ field: input.field, tags: input.tags, catalog: input.catalog, offered, plain, prefilled: input.prefilled });
  return [plain(input.field.label), hint].filter((t) => t !== '').join(' ');
}

/**
 * Packs blocks into as few bodies as fit. A block that fits in one body is never cut (it starts a new
 * body instead); a block longer than a body fills the current one and continues at word boundaries.
 */
export function packParts(blocks: string[], limit: number = MAX_BODY_CHARS): string[] {
  const parts: string[] = [];
  let current = '';
  for (const block of blocks) {
    let rest = block;
    while (rest !== '') {
      const prefix = current === '' ? '' : `${current}${BLOCK_SEPARATOR}`;
      if (prefix.length + rest.length <= limit) {
        current = prefix + rest;
        break;
      }
      if (current !== '' && (rest.length <= limit || limit - prefix.length < MIN_FILL)) {
        parts.push(current);
        current = '';
        continue;
      }
      const [head, tail] = splitAtWord(rest, limit - prefix.length);
      parts.push(prefix + head);
      current = '';
      rest = tail;
    }
  }
  if (current !== '') parts.push(current);
  return parts;
}
