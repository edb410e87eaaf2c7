import { randomBytes } from 'node:crypto';
import type { PhoneMessage, SimulatorPhones } from '../../ports/storage/simulator-phones.js';

/**
 * Puts a text on a simulated handset and returns its new provider message id, shaped as Twilio's (`SM` and
 * 32 hex digits) so it passes for one wherever a message id is read.
 */
export async function putOnHandset(phones: SimulatorPhones, phone: string, direction: PhoneMessage['direction'], body: string, at: Date): Promise<string> {
  const sid = `SM${randomBytes(16).toString('hex')}`;
  await phones.add(phone, { direction, body, sid, at: at.toISOString() });
  return sid;
}
