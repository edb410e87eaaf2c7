
/**
 * The outbox as the SMS dispatcher and the status webhook see it: which texts are due, whether one
 * may still go, and what the provider said about it. The conversation store writes the rows; this port
 * only moves them through sending. Each method is a transaction of its own and returns a promise
 * (decision 0025).
 */

export interface DueText {
  readonly id: number;
  readonly conversationId: string | null;
  readonly project: string;
  readonly phone: string;
  readonly payload: unknown;
  readonly attempts: number;
  /** The REDCap record of the text's conversation (some providers want it); null for phone-level texts. */
  readonly recordId: string | null;
}

export interface SentText {
  readonly id: number;
  readonly conversationId: string | null;
  readonly project: string;
  readonly phone: string | null;
}

/** What a claim found: the text may go, or it must not (opted out, or no longer pending). */
export type Claim = { readonly kind: 'send'; readonly text: DueText } | { readonly kind: 'suppressed' } | { readonly kind: 'gone' };

export interface DeliveryStore {
  /**
   * One project's pending texts whose time has come, oldest first, each the oldest pending text of its
   * phone, so a text waiting for a retry holds back the ones queued after it (participants read
   * questions in order).
   */
  dueTexts(project: string, now: string, limit: number): Promise<DueText[]>;
  /** Pending texts of projects this deployment does not configure (any more): nothing could send them. */
  textsOutside(projects: readonly string[]): Promise<DueText[]>;
  /**
   * Re-reads the row and the opt-out list in one transaction, just before sending: a STOP committed
   * after `dueTexts` ran still wins. An opted-out text is marked suppressed and never sent.
   */
  claim(id: number): Promise<Claim>;
  /**
   * Ends a claim whose text was not sent after all (its rate slot ran out first, decision 0059): the text stays
   * pending as it was, due again at once for any instance.
   */
  release(id: number): Promise<void>;
  markSent(id: number, providerMessageId: string, deliveryStatus: string, at: string): Promise<void>;
  scheduleRetry(id: number, nextAttemptAt: string, error: string): Promise<void>;
  markFailed(id: number, error: string, errorCode: number | null): Promise<void>;
  /** Records a status callback; returns the text it belongs to, or undefined for an unknown SID. */
  recordStatus(providerMessageId: string, status: string, errorCode: number | null, at: string): Promise<SentText | undefined>;
}
