import { isStartWhileOptedOut, routeInbound, type ConversationEvent, type Keyword } from '../conversation/index.js';
import { message } from '../messages/catalog.js';
import type { ConversationDeps } from './conversation-deps.js';
import { activate, asOpen, continueWithWaiting, offerChoice, openRows, optOutEverywhere, phoneTextsOf, type PhoneScope } from './phone-conversations.js';
import { enqueueText, record, stepStored } from './step-conversation.js';
import type { InboundResult } from '../ports/sms-provider.js';
import type { ConversationStore } from '../ports/storage/conversation-store.js';

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
 * One inbound text = one unit of work: dedupe on the provider id, route to a conversation, step it,
 * save it with a revision check, store outbox rows and timers, commit. Nothing is sent here; the
 * dispatcher reads the outbox after the commit. `on` is where the unit runs: the store (a transaction
 * of its own) or an open unit (the group commit's), in which it nests.
 */
export function handleInbound(deps: ConversationDeps, inbound: InboundMessage, on: ConversationStore = deps.store): Promise<InboundResult> {
  return on.transaction(async (tx) => {
    const scope: PhoneScope = {
      deps, tx, now: deps.clock.now(), project: inbound.project, phone: inbound.from, providerAnswered: inbound.providerAnswered,
    };
    const fresh = await tx.insertInbound({
      provider: inbound.provider, providerMessageId: inbound.providerMessageId, project: inbound.project,
      phone: inbound.from, receivedAt: scope.now.toISOString(),
    });
    if (!fresh) return { duplicate: true, conversationId: null };
    return { duplicate: false, conversationId: await route(scope, inbound.body) };
  });
}

async function route(scope: PhoneScope, body: string): Promise<string | null> {
  const { settings } = scope.deps.project(scope.project);
  const open = await openRows(scope);
  const target = routeInbound(open.map(asOpen), body, settings.keywords);
  // START (or YES) from an opted-out phone opts it in whatever state its conversations are in.
  const optingIn = (await scope.tx.isOptedOut(scope.project, scope.phone)) && isStartWhileOptedOut(body, settings.keywords);
  if (optingIn) await scope.tx.optIn(scope.project, scope.phone);
  if (target.kind === 'phone' || (optingIn && target.kind !== 'deliver')) {
    await record(scope, { id: null, project: scope.project }, 'in', 'text', body);
    await answerAtPhoneLevel(scope, optingIn ? 'start' : target.kind === 'phone' ? target.keyword : null);
    return null;
  }
  if (target.kind === 'offerChoice') {
    await record(scope, { id: null, project: scope.project }, 'in', 'text', body);
    await offerChoice(scope, true, true);
    return null;
  }
  const row = open.find((candidate) => candidate.id === target.id);
  if (row === undefined) return null;
  await record(scope, row, 'in', 'text', body);
  if (target.kind === 'choose') {
    await activate(scope, row, true);
    return row.id;
  }
  await deliver(scope, { ...row, active: true }, optingIn ? { type: 'optedIn' } : { type: 'inbound', text: body });
  return row.id;
}

async function deliver(scope: PhoneScope, row: Parameters<typeof stepStored>[1], event: ConversationEvent): Promise<void> {
  const result = await stepStored(scope, row, event);
  if (result === null) return;
  if (result.effects.some((effect) => effect.type === 'optOut')) await optOutEverywhere(scope, row.id);
  if (!result.open) await continueWithWaiting(scope, true);
}

/**
 * Texts no conversation can take: STOP/START still work, HELP answers, anything else gets a short note.
 * Replies speak the language of the phone's newest conversation, open or not (decision 0061).
 */
async function answerAtPhoneLevel(scope: PhoneScope, keyword: Keyword | null): Promise<void> {
  const store = scope.tx;
  const { settings } = scope.deps.project(scope.project);
  const texts = async () => phoneTextsOf(scope, await store.latestConversation(scope.project, scope.phone));
  if (keyword === 'stop') {
    await optOutEverywhere(scope, null);
    // A conversation confirms its own STOP; with none open, the phone's confirmation is this one.
    if (settings.optOutConfirmation) await reply(scope, 'opted-out', message((await texts()).catalog, 'conversation.optedOut'));
    return;
  }
  if (keyword === 'start') {
    await store.optIn(scope.project, scope.phone);
    return reply(scope, 'opted-in', message((await texts()).catalog, 'conversation.optedIn'));
  }
  if (await store.isOptedOut(scope.project, scope.phone)) return;
  if (keyword === 'help') {
    const { helpText, catalog } = await texts();
    return reply(scope, 'help', helpText ?? message(catalog, 'conversation.help'));
  }
  if ((await openRows(scope)).length === 0 && !(await notedRecently(scope))) await reply(scope, 'closed', message((await texts()).catalog, 'conversation.noSurvey'));
}

/** A phone texting with no survey waiting hears so once a day: more would spam it, and cost per text. */
export const NO_SURVEY_NOTE_EVERY_MS = 24 * 60 * 60 * 1000;

async function notedRecently(scope: PhoneScope): Promise<boolean> {
  const last = await scope.tx.lastPhoneTextAt(scope.project, scope.phone, 'closed');
  return last !== undefined && scope.now.getTime() - Date.parse(last) < NO_SURVEY_NOTE_EVERY_MS;
}

function reply(scope: PhoneScope, kind: 'opted-in' | 'opted-out' | 'help' | 'closed', body: string): Promise<void> {
  return enqueueText(scope, null, { type: 'send', to: scope.phone, parts: [body], kind }, scope.project);
}
