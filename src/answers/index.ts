/**
 * Answers: every askable REDCap field rendered as a text message, and every reply read back into
 * REDCap's stored values. Pure functions; the conversation engine decides when to call them.
 */
export { renderPrompt } from './prompt.js';
export { parseReply } from './reply.js';
export { skipValues } from './skip.js';
export { hasNoAnswer, prefillValues, shownAnswer } from './prefill.js';
export { countSegments, type Encoding } from './segments.js';
export { splitMessage, MAX_BODY_CHARS } from './split-message.js';
export { promptCost, instrumentCost, type InstrumentCost } from './prompt-cost.js';
export { htmlToText } from './html.js';
export type { Prompt, PromptInput, RecordData, ReplyInput, ReplyOutcome } from './types.js';
