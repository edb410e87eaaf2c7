import type { Clock } from '../../ports/clock.js';
import type { SmsProvider } from '../provider/provider.js';
import type { SimulatorPhones } from '../../ports/storage/simulator-phones.js';
import { putOnHandset } from './handset-text.js';

export interface SimulatorSenderOptions {
  /** The handsets, in the service's storage. */
  phones: SimulatorPhones;
  clock: Clock;
  /** Numbers the simulated carrier cannot reach, so the demo can show a failed invitation. */
  unreachable?: ReadonlySet<string>;
}

/** Twilio's code for an invalid 'To' number, which the simulated carrier answers for unreachable ones. */
const INVALID_TO = 21211;

/**
 * The demo's SMS provider: the dispatcher hands it texts exactly as it would hand them to Twilio, and
 * it puts them on the simulated handset instead, reporting them delivered at once. It has no webhooks:
 * texts from the handset come in through the simulator page (see simulator-channel.ts).
 */
export function createSimulatorSender(options: SimulatorSenderOptions): SmsProvider {
  return {
    name: 'simulator',
    async send(request) {
      if (options.unreachable?.has(request.to) === true) {
        return { kind: 'rejected', reason: `HTTP 400 (${INVALID_TO})`, code: INVALID_TO };
      }
      const sid = await putOnHandset(options.phones, request.to, 'out', request.body, options.clock.now());
      return { kind: 'sent', sid, status: 'delivered' };
    },
    checkAccount: () => Promise.resolve({ ok: true, detail: 'simulated handsets', checkedAt: options.clock.now().toISOString() }),
    webhooks: () => undefined,
  };
}
