import type { ConversationDeps } from './conversation-deps.js';
import type { UnitOfWork } from '../ports/storage/conversation-store.js';
import { record, stepStored, type StepScope } from './step-conversation.js';

/** What the provider told us about a text, fed back to the conversation engine. */
export interface DeliveryFailure {
  readonly outboxId: number;
  readonly conversationId: string | null;
  readonly project: string;
  readonly phone: string;
  /** Codes and statuses only ("HTTP 400 (21211)", "undelivered (30003)"), never message text. */
  readonly reason: string;
  readonly at: string;
}

export interface ProviderOptOut {
  readonly conversationId: string | null;
  readonly project: string;
  readonly phone: string;
  readonly at: string;
}

export interface DeliveryEvents {
  /** A text failed for good: retries exhausted, refused by Twilio, or reported failed/undelivered. */
  deliveryFailed(event: DeliveryFailure): Promise<void>;
  /** Twilio error 21610: the number replied STOP to Twilio, whose record is authoritative. */
  providerOptOut(event: ProviderOptOut): Promise<void>;
}

/**
 * Delivery results become engine events, each in its own transaction: a failure steps the
 * conversation that sent the text; a provider opt-out is recorded for the phone (so pending texts
 * are suppressed and nothing more is sent) and steps every open conversation of that phone.
 */
export function engineDeliveryEvents(deps: ConversationDeps): DeliveryEvents {
  const scopeAt = (tx: UnitOfWork, at: string): StepScope => ({ deps, tx, now: new Date(at) });
  return {
    deliveryFailed(event) {
      return deps.store.transaction(async (tx) => {
        const scope = scopeAt(tx, event.at);
        const row = event.conversationId === null ? undefined : await tx.conversation(event.conversationId);
        await record(scope, { id: row?.id ?? null, project: event.project }, 'event', 'delivery-failed', event.reason);
        if (row?.open === true) await stepStored(scope, row, { type: 'deliveryFailed', optedOut: false });
      });
    },
    providerOptOut(event) {
      return deps.store.transaction(async (tx) => {
        const scope = scopeAt(tx, event.at);
        await tx.optOut(event.project, event.phone, event.at, 'provider');
        await tx.suppressPendingTexts(event.project, event.phone);
        await record(scope, { id: event.conversationId, project: event.project }, 'event', 'opted-out', 'provider opt-out (Twilio 21610)');
        for (const row of await tx.openConversations(event.project, event.phone)) {
          await stepStored(scope, row, { type: 'deliveryFailed', optedOut: true });
        }
      });
    },
  };
}
