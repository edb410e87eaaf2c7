import type { InboundResult } from '../../ports/sms-provider.js';
import type { ProviderText } from '../../ports/sms-provider.js';
import type { Clock } from '../../ports/clock.js';
import type { SimulatorPhones } from '../../ports/storage/simulator-phones.js';
import { putOnHandset } from './handset-text.js';

export interface SimulatorChannelDeps {
  phones: SimulatorPhones;
  clock: Clock;
  /** The same unit of work the Twilio webhook runs for an inbound text. */
  receiveText: (text: ProviderText) => Promise<InboundResult>;
  /** Wakes the dispatcher, as the webhook does after its commit. */
  afterCommit: () => void;
}

export interface SimulatorChannel {
  /** A participant's handset texts the service. */
  receive(project: string, phone: string, body: string): Promise<InboundResult>;
}

/** The inbound half of the simulator: a text typed on the page enters through the webhook's path. */
export function createSimulatorChannel(deps: SimulatorChannelDeps): SimulatorChannel {
  return {
    async receive(project, phone, body) {
      const providerMessageId = await putOnHandset(deps.phones, phone, 'in', body, deps.clock.now());
      const result = await deps.receiveText({ provider: 'simulator', providerMessageId, project, from: phone, body, optOutType: undefined });
      if (!result.duplicate) deps.afterCommit();
      return result;
    },
  };
}
