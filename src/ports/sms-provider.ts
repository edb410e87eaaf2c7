
/**
 * The SMS provider port, as the engine sees it: the dispatcher sends through `SmsSender`; an inbound
 * webhook hands the engine a `ProviderText` or a `DeliveryStatus`. Twilio, Mosio and the simulator
 * implement it (adapters/provider), so the engine and the outbox never know which one is in use.
 */

/** Twilio's error for a recipient who replied STOP to Twilio itself: the provider's record is authoritative. */
export const TWILIO_UNSUBSCRIBED = 21610;

/** Twilio Advanced Opt-Out's classification of an inbound text (the `OptOutType` parameter). */
export type ProviderOptOutType = 'STOP' | 'START' | 'HELP';

/** One inbound text, as every provider's webhook hands it to the engine. */
export interface ProviderText {
  readonly provider: string;
  readonly providerMessageId: string;
  readonly project: string;
  readonly from: string;
  readonly body: string;
  /** Present when the provider recognised an opt-out keyword and has already replied itself. */
  readonly optOutType: ProviderOptOutType | undefined;
}

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

/** What the unit of work for an inbound text reports back to the webhook. */
export interface ReceivedText {
  readonly duplicate: boolean;
}

export interface InboundResult {
  duplicate: boolean;
  /** The conversation that took the text, if any. */
  conversationId: string | null;
}

/** What deleting one Message resource came to. */
export type EraseOutcome =
  /** Deleted now, or already gone (404): either way Twilio no longer holds it. */
  | 'erased'
  /** Twilio 20009: the message is too fresh to delete; try again later. */
  | 'too-early'
  | 'failed';

export interface MessageEraser {
  erase(sid: string): Promise<EraseOutcome>;
}
