import type { DeliveryStatus } from '../../app/record-delivery-status.js';
import type { ProviderText } from '../../app/receive-provider-text.js';
import type { SmsProviderName } from '../../config/env.js';
import type { ProjectRegistry } from '../../config/projects.js';
import type { PlainRoute } from '../http/plain-routes.js';
import type { Logger, ParticipantKey } from '../logging/logger.js';

/**
 * The SMS provider port. The dispatcher sees only its outbound half (`SmsSender`); the HTTP app mounts
 * its inbound half (`webhooks`); the service checks the account through it. Twilio, Mosio and the
 * simulator implement it, so the engine and the outbox never know which one is in use.
 */

export type ProviderName = SmsProviderName;

/** One text to send. Twilio names the sender by `from` / `messagingServiceSid`; Mosio by the project's key. */
export interface SmsRequest {
  readonly to: string;
  readonly body: string;
  /** Our project id: picks the provider account (Mosio key) and the segment budget. */
  readonly project?: string | undefined;
  /** The REDCap record the text is about, when the provider wants it (Mosio's `RecordId`). */
  readonly recordId?: string | undefined;
  readonly from?: string | undefined;
  readonly messagingServiceSid?: string | undefined;
  /** Where the provider posts delivery status (our /webhooks/twilio/status). */
  readonly statusCallback?: string | undefined;
}

/** What happened to a send, in the terms the dispatcher decides on. */
export type SendOutcome =
  | { readonly kind: 'sent'; readonly sid: string; readonly status: string }
  /** The provider says the recipient opted out (Twilio 21610); the provider's record is authoritative. */
  | { readonly kind: 'opted-out'; readonly code: number }
  /** 429, 5xx, a timeout or a network failure: the same request may succeed later. */
  | { readonly kind: 'retry'; readonly reason: string }
  /** Any other refusal (bad number, bad key, budget spent…): retrying will not help. */
  | { readonly kind: 'rejected'; readonly reason: string; readonly code: number | undefined };

/** The outbound half of the port: all the dispatcher needs. */
export interface SmsSender {
  send(request: SmsRequest): Promise<SendOutcome>;
}

/** The provider's word on our account (Mosio `redcap_verification`); never carries the key. */
export interface AccountStatus {
  readonly ok: boolean;
  readonly detail: string;
  readonly checkedAt: string;
}

/** What the unit of work reports back to the webhook. */
export interface ReceivedText {
  readonly duplicate: boolean;
}

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
