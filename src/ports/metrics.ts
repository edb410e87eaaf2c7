import type { SendOutcome } from './sms-provider.js';

/**
 * What the engine counts, in its own terms; an adapter turns the counts into a metrics system's series.
 * Labels are projects, providers, outcomes and error codes: never a phone number, a text or a token.
 * What the database already holds (queues, opt-outs, segments used) is read when scraped, not counted here.
 */

/** The units of work timed from call to commit. */
export type UnitOfWork = 'inbound-text' | 'delivery-status' | 'invitation' | 'data-entry-trigger';

/** Where a provider's error code came from: its answer to a send, or a later delivery status. */
export type ProviderErrorStage = 'send' | 'delivery';

/** What a REDCap write came to: landed, to be retried, or refused for good (kept for staff). */
export type RedcapWriteOutcome = 'landed' | 'retry' | 'refused';

export interface Metrics {
  /** An inbound text reached the engine: stored (`new`), a provider's retry (`duplicate`), or its unit failed. */
  inboundText(provider: string, outcome: 'new' | 'duplicate' | 'failed'): void;
  unitOfWork(kind: UnitOfWork, seconds: number, outcome: 'ok' | 'failed'): void;
  textSent(project: string, outcome: SendOutcome['kind']): void;
  /** `code` is the provider's error code; `transient` for a retryable failure, `none` when it gave none. */
  providerError(stage: ProviderErrorStage, code: number | 'transient' | 'none'): void;
  /** `rows` outbox rows (one or more answers each) came to `outcome` in one REDCap request. */
  redcapWrites(project: string, outcome: RedcapWriteOutcome, rows: number): void;
  timersFired(count: number): void;
}

