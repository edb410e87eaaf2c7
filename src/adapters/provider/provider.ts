import type { SmsProviderName } from '../../config/env.js';
import type { ProjectRegistry } from '../../config/projects.js';
import type { Logger, ParticipantKey } from '../../ports/logger.js';
import type { AccountStatus, DeliveryStatus, ProviderText, ReceivedText, SmsSender } from '../../ports/sms-provider.js';
import type { PlainRoute } from '../http/plain-routes.js';

/**
 * An SMS provider as the composition root sees it: the engine's `SmsSender`, the inbound webhooks the HTTP
 * app mounts, and the account check. Twilio, Mosio and the simulator implement it.
 */

export type ProviderName = SmsProviderName;

/** What an inbound webhook needs from the application: the unit of work and its aftermath. */
export interface InboundDeps {
  readonly projects: ProjectRegistry;
  readonly logger: Logger;
  readonly participantKey: ParticipantKey;
  /** The unit of work for one inbound text: committed when it returns, or when its promise settles. */
  readonly receiveText: (text: ProviderText) => ReceivedText | Promise<ReceivedText>;
  /** Delivery signals (status callbacks, provider opt-outs). */
  readonly recordStatus: (status: DeliveryStatus) => void | Promise<void>;
  /** Called after a commit that may have queued texts, to wake the dispatcher. */
  readonly afterCommit: () => void;
  readonly now: () => Date;
}

/** The routes under `/webhooks/<provider>`: verify, parse, then hand to the unit of work. */
export type ProviderWebhooks = readonly PlainRoute[];

export interface SmsProvider extends SmsSender {
  readonly name: ProviderName;
  /** Checks the account(s) with the provider; providers without such a call answer ok at once. */
  checkAccount(): Promise<AccountStatus>;
  /** The inbound webhooks; undefined when texts arrive another way (the simulator's page). */
  webhooks(deps: InboundDeps): ProviderWebhooks | undefined;
}
