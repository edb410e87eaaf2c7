import type { Database } from 'better-sqlite3';
import type { Clock } from '../../ports/clock.js';
import { PhoneLog } from '../simulator/phone-log.js';
import { createSimulatorSender } from '../simulator/simulator-sender.js';
import type { SmsProvider } from './provider.js';

/** The simulated handsets behind the provider port: texts land in the database, replies come from its page. */
export function createSimulatorProvider(db: Database, clock: Clock): SmsProvider {
  const sender = createSimulatorSender({ log: new PhoneLog(db), clock });
  return {
    name: 'simulator',
    send: (request) => sender.send(request),
    checkAccount: () => Promise.resolve({ ok: true, detail: 'simulated handsets', checkedAt: clock.now().toISOString() }),
    // Inbound texts arrive through the simulator's own page, not a webhook.
    webhooks: () => undefined,
  };
}
