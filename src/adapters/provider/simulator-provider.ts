import type { Clock } from '../../ports/clock.js';
import type { SimulatorPhones } from '../../ports/storage/simulator-phones.js';
import { createSimulatorSender } from '../simulator/simulator-sender.js';
import type { SmsProvider } from './provider.js';

/** The simulated handsets behind the provider port: texts land in the storage, replies come from its page. */
export function createSimulatorProvider(phones: SimulatorPhones, clock: Clock): SmsProvider {
  const sender = createSimulatorSender({ phones, clock });
  return {
    name: 'simulator',
    send: (request) => sender.send(request),
    checkAccount: () => Promise.resolve({ ok: true, detail: 'simulated handsets', checkedAt: clock.now().toISOString() }),
    // Inbound texts arrive through the simulator's own page, not a webhook.
    webhooks: () => undefined,
  };
}
