/**
 * What a provider's webhook may ask of the stored inbound texts when the provider sends no message id of its
 * own (Mosio): whether a text is a copy of one already taken. Read-only: on SQLite with the engine thread it
 * runs on the HTTP thread's read-only connection.
 */

export interface InboundCopyQuery {
  readonly provider: string;
  /** The provider message ids of the copies start with this (their fingerprint). */
  readonly idPrefix: string;
  readonly project: string;
  /** The phone the copies came from: a text sent to it after the latest copy answers that copy. */
  readonly phone: string;
  /** ISO-8601 UTC: copies received before this do not count. */
  readonly since: string;
}

export interface InboundHistory {
  /**
   * True when a text of `provider` in `project` whose id starts with `idPrefix` was received at or after
   * `since`, and no SMS has been sent to `phone` in that project since the latest such text.
   */
  unansweredCopy(query: InboundCopyQuery): Promise<boolean>;
}
