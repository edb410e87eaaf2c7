import type { ConversationStart } from './context.js';
import type { TimerKind } from './effects.js';
import type { StepEnv } from './interview.js';

/** What can happen to a conversation, as the app reports it to `step`. */
export type ConversationEvent =
  /** A new invitation; `hold` keeps it silent until activated (FIRST / CHOICE overlap). */
  | { type: 'invite'; start: ConversationStart; hold?: boolean }
  /** A held or set-aside conversation becomes the phone's active one; `solicited` when the participant asked. */
  | { type: 'activate'; solicited: boolean }
  | { type: 'inbound'; text: string }
  | { type: 'timer'; kind: TimerKind; revision: number }
  /** The provider could not deliver a text; `optedOut` for Twilio 21610 and its kin. */
  | { type: 'deliveryFailed'; optedOut: boolean }
  /** Opt-out or opt-in learned elsewhere (another conversation on the phone, the provider). */
  | { type: 'optedOut' }
  | { type: 'optedIn' }
  /** A newer invitation replaced this one (OVERWRITE). */
  | { type: 'superseded' }
  /** Staff lift a loop-guard pause. */
  | { type: 'resume' };

export type KeywordEventType =
  | 'keyword.stop' | 'keyword.start' | 'keyword.help' | 'keyword.skip' | 'keyword.back' | 'keyword.repeat';

/** The events the machine itself sees: inbound texts already classified, each carrying the step's env. */
export type MachineEvent = { env: StepEnv } & (
  | { type: 'invite' }
  | { type: 'hold' }
  | { type: 'activate' }
  | { type: 'reply'; text: string }
  | { type: KeywordEventType }
  | { type: 'timer.reminder'; revision: number }
  | { type: 'timer.expiry'; revision: number }
  | { type: 'provider.optedOut' }
  | { type: 'provider.optedIn' }
  | { type: 'delivery.failed' }
  | { type: 'superseded' }
  | { type: 'resume' }
);
