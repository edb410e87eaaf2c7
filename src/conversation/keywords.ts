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
  return normalised !== '' && normalisedWords(list).has(normalised);
}

// A project's keyword lists are fixed for its life, and every text is compared with all of them:
// normalising each list once took a text's keyword check from dozens of Unicode passes to one.
const normalisedLists = new WeakMap<readonly string[], ReadonlySet<string>>();

function normalisedWords(list: readonly string[]): ReadonlySet<string> {
  let words = normalisedLists.get(list);
  if (words === undefined) {
    words = new Set(list.map(normaliseKeyword));
    normalisedLists.set(list, words);
  }
  return words;
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
