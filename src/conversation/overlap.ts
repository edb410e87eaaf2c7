import { message, type Catalog } from '../messages/catalog.js';
import { matchKeyword, type Keyword } from './keywords.js';
import type { ConversationSettings } from './settings.js';

/** What the overlap rules need to know about one open conversation of a phone. */
export interface OpenConversation {
  id: string;
  instrument: string;
  recordId: string;
  active: boolean;
}

type Policy = ConversationSettings['overlap'];

export interface InviteDecision {
  /** Start silently (FIRST / CHOICE) instead of sending the invitation now. */
  hold: boolean;
  /** Conversations the new invitation replaces. */
  supersede: string[];
  /** Conversations that stop receiving texts until the participant picks one (CHOICE). */
  setAside: string[];
  /** Send the numbered choice list (CHOICE). */
  offerChoice: boolean;
}

/**
 * REDCap's "behaviour for overlapping SMS invitations". A second invitation for the same record and
 * instrument always replaces the first: the participant cannot usefully take one survey twice at once.
 */
export function decideInvite(policy: Policy, open: readonly OpenConversation[], invited: Omit<OpenConversation, 'id' | 'active'>): InviteDecision {
  const same = open.filter((c) => c.instrument === invited.instrument && c.recordId === invited.recordId);
  const others = open.filter((c) => !same.includes(c));
  const none = { hold: false, supersede: same.map((c) => c.id), setAside: [], offerChoice: false };
  if (others.length === 0) return none;
  if (policy === 'OVERWRITE') return { ...none, supersede: open.map((c) => c.id) };
  if (policy === 'FIRST') return { ...none, hold: true };
  return { ...none, hold: true, setAside: others.filter((c) => c.active).map((c) => c.id), offerChoice: true };
}

export type InboundRoute =
  | { kind: 'deliver'; id: string; activate: boolean }
  /** The participant picked a conversation from the choice list. */
  | { kind: 'choose'; id: string }
  /** A choice is pending and the text was not one of its numbers. */
  | { kind: 'offerChoice' }
  /** No conversation can take this text: phone-level keywords, or "no survey waiting". */
  | { kind: 'phone'; keyword: Keyword | null };

/** Which conversation an inbound text belongs to. */
export function routeInbound(open: readonly OpenConversation[], text: string, keywords: ConversationSettings['keywords']): InboundRoute {
  const active = open.find((c) => c.active);
  if (active !== undefined) return { kind: 'deliver', id: active.id, activate: false };
  const [only] = open;
  if (open.length === 1 && only !== undefined) return { kind: 'deliver', id: only.id, activate: true };
  const keyword = matchKeyword(text, keywords);
  if (open.length === 0 || keyword !== null) return { kind: 'phone', keyword };
  const picked = open[Number(text.trim().replace(/[.)]$/, '')) - 1];
  return /^\d+[.)]?$/.test(text.trim()) && picked !== undefined ? { kind: 'choose', id: picked.id } : { kind: 'offerChoice' };
}

export type AfterClose = { kind: 'activate'; id: string } | { kind: 'offerChoice' } | { kind: 'none' };

/** When a conversation ends, what the phone's remaining invitations do. */
export function afterClose(policy: Policy, open: readonly OpenConversation[]): AfterClose {
  const [first] = open;
  if (first === undefined || open.some((c) => c.active)) return { kind: 'none' };
  if (open.length === 1 || policy !== 'CHOICE') return { kind: 'activate', id: first.id };
  return { kind: 'offerChoice' };
}

/** "You have 2 surveys waiting. Reply with a number to choose: 1 = Daily, 2 = Weekly" */
export function choiceText(open: readonly OpenConversation[], settings: ConversationSettings, catalog: Catalog, again = false): string {
  const list = open.map((c, index) => `${index + 1} = ${settings.titles[c.instrument] ?? c.instrument}`).join(', ');
  return again
    ? message(catalog, 'conversation.chooseAgain', { list })
    : message(catalog, 'conversation.chooseSurvey', { count: open.length, list });
}
