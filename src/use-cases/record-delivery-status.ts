import type { DeliveryStore } from '../ports/storage/delivery-store.js';
import { TWILIO_UNSUBSCRIBED } from '../ports/sms-provider.js';
import type { DeliveryStatus } from '../ports/sms-provider.js';
import type { DeliveryEvents } from './delivery-results.js';

const FAILED = new Set(['failed', 'undelivered']);

/**
 * Records the status on the text; a failed or undelivered text becomes an engine event, and error
 * 21610 marks the number opted out, because Twilio's own STOP record is authoritative.
 */
export async function recordDeliveryStatus(delivery: DeliveryStore, events: DeliveryEvents, update: DeliveryStatus): Promise<void> {
  const text = await delivery.recordStatus(update.providerMessageId, update.status, update.errorCode, update.at);
  const project = text?.project ?? update.project;
  const phone = text?.phone ?? update.to;
  if (project === undefined || phone === undefined || phone === null) return;
  const conversationId = text?.conversationId ?? null;
  if (update.errorCode === TWILIO_UNSUBSCRIBED) {
    await events.providerOptOut({ conversationId, project, phone, at: update.at });
  } else if (FAILED.has(update.status) && text !== undefined) {
    const reason = `${update.status} (${update.errorCode ?? 'no code'})`;
    await events.deliveryFailed({ outboxId: text.id, conversationId, project, phone, reason, at: update.at });
  }
}
