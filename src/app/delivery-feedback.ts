import type { ConversationDeps } from './deps.js';
import { optOutEverywhere, type PhoneScope } from './phone.js';
import { stepStored } from './run-step.js';

/** What the dispatcher learned about a text it could not deliver. */
export interface DeliveryFeedback {
  conversationId: string | null;
  project: string;
  /** E.164. */
  phone: string;
}

/**
 * Twilio 21610 (or an equivalent): the provider's opt-out is authoritative. Every open conversation of
 * the phone moves to opted_out and stops its timers, in one transaction.
 */
export function recordProviderOptOut(deps: ConversationDeps, feedback: DeliveryFeedback): void {
  deps.store.transaction(() => {
    const scope: PhoneScope = { deps, now: deps.clock.now(), project: feedback.project, phone: feedback.phone };
    optOutEverywhere(scope, null, 'provider');
  });
}

/** A text failed for good: the conversation flags it for staff; it does not move on. */
export function recordDeliveryFailure(deps: ConversationDeps, feedback: DeliveryFeedback): void {
  if (feedback.conversationId === null) return;
  const conversationId = feedback.conversationId;
  deps.store.transaction(() => {
    const row = deps.store.conversation(conversationId);
    if (row !== undefined && row.open) stepStored({ deps, now: deps.clock.now() }, row, { type: 'deliveryFailed', optedOut: false });
  });
}
