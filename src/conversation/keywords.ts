import type { ConversationSettings } from './settings.js';

export type Keyword = 'stop' | 'start' | 'help' | 'skip' | 'back' | 'repeat';

const KEYWORD_ORDER: readonly Keyword[] = ['stop', 'start', 'help', 'skip', 'back', 'repeat'];

/**
 * What a keyword comparison sees: the whole message, upper-cased, with everything but letters and
 * digits removed — so "Stop.", " stop " and "S T O P" all read as STOP, but "stop texting me" does not.
 */
export function normaliseKeyword(text: string): string {
  return text.normalize('NFKC').toLocaleUpperCase('en-US').replace(/[^\p{L}\p{N}]/gu, '');
}

function listHas(list: readonly string[], normalised: string): boolean {
  return normalised !== '' && list.some((word) => normaliseKeyword(word) === normalised);
}

/** The keyword a whole message is, or null when it is an ordinary reply. */
export function matchKeyword(text: string, keywords: ConversationSettings['keywords']): Keyword | null {
  const normalised = normaliseKeyword(text);
  return KEYWORD_ORDER.find((keyword) => listHas(keywords[keyword], normalised)) ?? null;
}

export function isConfirmation(text: string, keywords: ConversationSettings['keywords']): boolean {
  return listHas(keywords.confirm, normaliseKeyword(text));
}

export function isStartWhileOptedOut(text: string, keywords: ConversationSettings['keywords']): boolean {
  const normalised = normaliseKeyword(text);
  return listHas(keywords.start, normalised) || listHas(keywords.startWhileOptedOut, normalised);
}
