import { isStartWhileOptedOut, routeInbound, type ConversationEvent, type Keyword } from '../conversation/index.js';
import { message } from '../messages/catalog.js';
import type { ConversationDeps } from './conversation-deps.js';
import { activate, asOpen, continueWithWaiting, offerChoice, openRows, optOutEverywhere, type PhoneScope } from './phone-conversations.js';
import { enqueueText, record, stepStored } from './step-conversation.js';
import type { InboundResult } from '../ports/sms-provider.js';

export interface InboundMessage {
  /** `twilio`, `mosio`, `simulator`… */
  provider: string;
  /** The provider's id for the message (Twilio MessageSid); a repeat is a retried webhook. */
  providerMessageId: string;
  project: string;
  /** E.164. */
  from: string;
  body: string;
  /** The kind of our reply the provider has already sent in its own words (kept for the audit, never sent). */
  providerAnswered?: string | undefined;
}

/**
 * One inbound text = one synchronous transaction: dedupe on the provider id, route to a conversation,
 * step it, save it with a revision check, store outbox rows and timers, commit. Nothing is sent here;
 * the dispatcher reads the outbox after the commit.
 */
export function handleInbound(deps: ConversationDeps, inbound: InboundMessage): InboundResult {
  return deps.store.transaction(() => {
    const scope: PhoneScope = {
      deps, now: deps.clock.now(), project: inbound.project, phone: inbound.from, providerAnswered: inbound.providerAnswered,
    };
    const fresh = deps.store.insertInbound({
      provider: inbound.provider, providerMessageId: inbound.providerMessageId, project: inbound.project,
      phone: inbound.from, receivedAt: scope.now.toISOString(),
    });
    if (!fresh) return { duplicate: true, conversationId: null };
    return { duplicate: false, conversationId: route(scope, inbound.body) };
  });
}

function route(scope: PhoneScope, body: string): string | null {
  const { settings } = scope.deps.project(scope.project);
  const open = openRows(scope);
  const target = routeInbound(open.map(asOpen), body, settings.keywords);
  // START (or YES) from an opted-out phone opts it in whatever state its conversations are in.
  const optingIn = scope.deps.store.isOptedOut(scope.project, scope.phone) && isStartWhileOptedOut(body, settings.keywords);
  if (optingIn) scope.deps.store.optIn(scope.project, scope.phone);
  if (target.kind === 'phone' || (optingIn && target.kind !== 'deliver')) {
    record(scope, { id: null, project: scope.project }, 'in', 'text', body);
    answerAtPhoneLevel(scope, optingIn ? 'start' : target.kind === 'phone' ? target.keyword : null);
    return null;
  }
  if (target.kind === 'offerChoice') {
    record(scope, { id: null, project: scope.project }, 'in', 'text', body);
    offerChoice(scope, true, true);
    return null;
  }
  const row = open.find((candidate) => candidate.id === target.id);
  if (row === undefined) return null;
  record(scope, row, 'in', 'text', body);
  if (target.kind === 'choose') {
    activate(scope, row, true);
    return row.id;
  }
  deliver(scope, { ...row, active: true }, optingIn ? { type: 'optedIn' } : { type: 'inbound', text: body });
  return row.id;
}

function deliver(scope: PhoneScope, row: Parameters<typeof stepStored>[1], event: ConversationEvent): void {
  const result = stepStored(scope, row, event);
  if (result === null) return;
  if (result.effects.some((effect) => effect.type === 'optOut')) optOutEverywhere(scope, row.id);
  if (!result.open) continueWithWaiting(scope, true);
}

/** Texts no conversation can take: STOP/START still work, HELP answers, anything else gets a short note. */
function answerAtPhoneLevel(scope: PhoneScope, keyword: Keyword | null): void {
  const { store } = scope.deps;
  const { settings, catalog } = scope.deps.project(scope.project);
  if (keyword === 'stop') return optOutEverywhere(scope, null);
  if (keyword === 'start') {
    store.optIn(scope.project, scope.phone);
    return reply(scope, 'opted-in', message(catalog, 'conversation.optedIn'));
  }
  if (store.isOptedOut(scope.project, scope.phone)) return;
  if (keyword === 'help') return reply(scope, 'help', settings.helpText ?? message(catalog, 'conversation.help'));
  if (openRows(scope).length === 0 && !notedRecently(scope)) reply(scope, 'closed', message(catalog, 'conversation.noSurvey'));
}

/** A phone texting with no survey waiting hears so once a day: more would spam it, and cost per text. */
export const NO_SURVEY_NOTE_EVERY_MS = 24 * 60 * 60 * 1000;

function notedRecently(scope: PhoneScope): boolean {
  const last = scope.deps.store.lastPhoneTextAt(scope.project, scope.phone, 'closed');
  return last !== undefined && scope.now.getTime() - Date.parse(last) < NO_SURVEY_NOTE_EVERY_MS;
}

function reply(scope: PhoneScope, kind: 'opted-in' | 'help' | 'closed', body: string): void {
  enqueueText(scope, null, { type: 'send', to: scope.phone, parts: [body], kind }, scope.project);
}
