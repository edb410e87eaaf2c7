import { createHash, randomBytes } from 'node:crypto';
import type { InboundHistory } from '../../ports/storage/inbound-history.js';

/**
 * Mosio sends no message id, so a retried webhook cannot be told from a new text by id. Each text
 * gets a synthetic id `mosio:<fingerprint>:<ms>-<random>` (fingerprint of project, phone and body), and an
 * identical text counts as a repeat when it comes within the window AND nothing was sent to the
 * phone since: a participant who answers "0" to question after question has always been sent the
 * next question in between, so their answers are never taken for repeats. See ADR 0012.
 */

export const MOSIO_REPEAT_WINDOW_MS = 2 * 60_000;

export interface InboundText {
  readonly project: string;
  readonly phone: string;
  readonly body: string;
}

export class InboundRepeats {
  constructor(private readonly history: InboundHistory, private readonly windowMs = MOSIO_REPEAT_WINDOW_MS) {}

  /**
   * The provider message id this text is stored under. The random tail keeps two genuine texts
   * within one millisecond apart; repeats are caught by `isRepeat`, not by the id.
   */
  syntheticId(text: InboundText, at: Date): string {
    return `${prefix(text)}${at.getTime()}-${randomBytes(4).toString('hex')}`;
  }

  /** True when an identical text arrived within the window and no text has gone to the phone since. */
  isRepeat(text: InboundText, at: Date): Promise<boolean> {
    return this.history.unansweredCopy({
      provider: 'mosio', idPrefix: prefix(text), project: text.project, phone: text.phone,
      since: new Date(at.getTime() - this.windowMs).toISOString(),
    });
  }
}

function prefix(text: InboundText): string {
  const fingerprint = createHash('sha256').update(`${text.project}\u0000${text.phone}\u0000${text.body}`).digest('hex').slice(0, 32);
  return `mosio:${fingerprint}:`;
}
