import type { SqliteDeliveryStore } from '../adapters/delivery/sqlite-delivery-store.js';
import { TWILIO_UNSUBSCRIBED } from '../adapters/twilio/sms-sender.js';
import type { DeliveryEvents } from './delivery-events.js';

/** A provider's status callback for one of our texts. */
export interface DeliveryStatus {
  readonly providerMessageId: string;
  readonly status: string;
  readonly errorCode: number | null;
  /** The recipient and our project as the callback names them (used when the SID is not ours). */
  readonly project: string | undefined;
  readonly to: string | undefined;
  readonly at: string;
}

const FAILED = new Set(['failed', 'undelivered']);

/**
 * Records the status on the text; a failed or undelivered text becomes an engine event, and error
 * 21610 marks the number opted out, because Twilio's own STOP record is authoritative.
 */
export function recordDeliveryStatus(delivery: SqliteDeliveryStore, events: DeliveryEvents, update: DeliveryStatus): void {
  const text = delivery.recordStatus(update.providerMessageId, update.status, update.errorCode, update.at);
  const project = text?.project ?? update.project;
  const phone = text?.phone ?? update.to;
  if (project === undefined || phone === undefined || phone === null) return;
  const conversationId = text?.conversationId ?? null;
  if (update.errorCode === TWILIO_UNSUBSCRIBED) {
    events.providerOptOut({ conversationId, project, phone, at: update.at });
  } else if (FAILED.has(update.status) && text !== undefined) {
    const reason = `${update.status} (${update.errorCode ?? 'no code'})`;
    events.deliveryFailed({ outboxId: text.id, conversationId, project, phone, reason, at: update.at });
  }
}
