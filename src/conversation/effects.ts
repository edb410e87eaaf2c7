import type { RecordData } from '../logic/index.js';

/** Why a text is sent; the transcript, the dispatcher and quiet hours look at it. */
export type SendKind =
  | 'invitation' | 'question' | 'reprompt' | 'confirm' | 'reminder' | 'completion' | 'help'
  | 'opted-out' | 'opted-in' | 'expired' | 'resumed' | 'closed' | 'paused' | 'choice';

export type TimerKind = 'reminder' | 'expiry';

/**
 * What a step asks the world to do, as plain data. The app turns these into outbox rows, timers and
 * opt-out rows inside the same transaction that saves the snapshot.
 */
export type Effect =
  /** Texts in order, one SMS each; `notBefore` defers an unsolicited text out of quiet hours. */
  | { type: 'send'; to: string; parts: string[]; kind: SendKind; notBefore?: string }
  /** Values to import into the REDCap record now (answers, calcs, defaults, `{form}_complete`). */
  | { type: 'write'; values: RecordData }
  | { type: 'setTimer'; kind: TimerKind; at: string; revision: number }
  | { type: 'cancelTimers' }
  | { type: 'optOut' }
  | { type: 'optIn' }
  /** Something staff should look at (loop guard, skip cap, incompatible snapshot). */
  | { type: 'flag'; reason: string };
