import { enqueueActions, setup } from 'xstate';
import { initialContext, type ContextChanges, type ConversationContext, type ConversationStart } from './context.js';
import type { Effect } from './effects.js';
import type { MachineEvent } from './events.js';
import * as interview from './interview.js';
import { isConfirmation, isStartWhileOptedOut } from './keywords.js';

/** Bump when states or context change shape; stored beside every snapshot. */
export const MACHINE_VERSION = 1;

export type EffectEmitted =
  | { type: 'effect'; effect: Effect }
  /** What the operation changed of the record and of `answered`, for the store (not an effect: nothing is done for it). */
  | { type: 'changes'; changes: ContextChanges };

type Operation = (context: ConversationContext, event: MachineEvent) => interview.Outcome;

/**
 * Wraps a pure domain operation as an action: the new context goes in with `assign`, the effects go
 * out with `emit`, so `transition()` hands them back as data and nothing runs inside the machine.
 */
function perform(operation: Operation) {
  return enqueueActions<ConversationContext, MachineEvent, undefined, MachineEvent, never, never, never, never, EffectEmitted>(
    ({ context, event, enqueue }) => {
      const outcome = operation(context, event);
      enqueue.assign(() => outcome.context);
      for (const effect of outcome.effects) enqueue.emit({ type: 'effect', effect });
      if (outcome.changes !== undefined) enqueue.emit({ type: 'changes', changes: outcome.changes });
    },
  );
}

const reply = (event: MachineEvent): string => (event.type === 'reply' ? event.text : '');

/** While a question is open: reminders re-send it, expiry ends the exchange for now. */
const TIMERS = {
  'timer.reminder': { guard: 'isCurrentTimer', actions: 'remind' },
  'timer.expiry': { guard: 'isCurrentTimer', target: 'expired', actions: 'expire' },
} as const;

const BEGIN = { target: 'routing', actions: 'begin' } as const;

/** Where an operation's outcome sends the conversation, in order; otherwise it is (still) asking. */
const LEAVE_ASKING = [
  { guard: 'isFinished', target: 'completed' },
  { guard: 'isPaused', target: 'paused' },
  { guard: 'awaitsStart', target: 'invited' },
  { guard: 'awaitsConfirmation', target: 'confirming' },
] as const;

/** Keywords that act on the open question, in `asking` and `confirming` alike. */
const WHILE_ASKING = {
  activate: { target: 'routing', actions: 'repeat' },
  'keyword.start': { target: 'routing', actions: 'repeat' },
  'keyword.repeat': { target: 'routing', actions: 'repeat' },
  'keyword.skip': { target: 'routing', actions: 'skip' },
  'keyword.back': { target: 'routing', actions: 'back' },
  ...TIMERS,
} as const;

/** Any text after expiry: carry on (`afterExpiry: resume`) or say the survey is closed. */
const RESUME_OR_CLOSE = [
  { guard: 'resumesAfterExpiry', target: 'routing', actions: 'resume' },
  { actions: 'sendClosed' },
] as const;

/**
 * The interviewer: one generic machine for every survey. Survey specifics (which field is next, what
 * a reply means) come from the survey version in each event's env; the machine decides only what
 * state the conversation is in and which operation a text triggers.
 */
export const interviewer = setup({
  types: {} as {
    context: ConversationContext;
    events: MachineEvent;
    input: ConversationStart;
    emitted: EffectEmitted;
  },
  guards: {
    isCurrentTimer: ({ context, event }) => 'revision' in event && event.revision === context.timerRevision,
    isFinished: ({ context }) => context.finished,
    isPaused: ({ context }) => context.paused,
    awaitsStart: ({ context }) => context.awaitingStart,
    awaitsConfirmation: ({ context }) => context.pending !== null,
    isConfirmation: ({ event }) => isConfirmation(reply(event), event.env.settings.keywords),
    isStartWhileOptedOut: ({ event }) => isStartWhileOptedOut(reply(event), event.env.settings.keywords),
    resumesAfterExpiry: ({ event }) => event.env.settings.afterExpiry === 'resume',
  },
  actions: {
    sendInvitation: perform((context, event) => interview.invite(context, event.env)),
    begin: perform((context, event) => interview.begin(context, event.env)),
    answer: perform((context, event) => interview.answer(context, event.env, reply(event))),
    confirmPending: perform((context, event) => interview.confirmPending(context, event.env)),
    skip: perform((context, event) => interview.skip(context, event.env)),
    back: perform((context, event) => interview.back(context, event.env)),
    repeat: perform((context, event) => interview.repeat(context, event.env)),
    sendHelp: perform((context, event) => interview.help(context, event.env)),
    remind: perform((context, event) => interview.remind(context, event.env)),
    expire: perform((context, event) => interview.expire(context, event.env)),
    resume: perform((context, event) => interview.resume(context, event.env)),
    sendClosed: perform((context, event) => interview.closed(context, event.env)),
    optOutByKeyword: perform((context, event) => interview.optOut(context, event.env, true)),
    optOutElsewhere: perform((context, event) => interview.optOut(context, event.env, false)),
    optIn: perform((context, event) => interview.optIn(context, event.env)),
    unpause: perform((context, event) => interview.repeat({ ...context, paused: false, invalidAt: [] }, event.env)),
    stopTimers: perform((context) => interview.stopTimers(context)),
    flagDeliveryFailure: perform((context) => ({
      context,
      effects: [{ type: 'flag', reason: 'a text could not be delivered' }],
    })),
  },
}).createMachine({
  id: 'interviewer',
  context: ({ input }) => initialContext(input),
  initial: 'created',
  // Global rules first: STOP wins over whatever question is open; HELP never moves the conversation.
  on: {
    'keyword.stop': { target: '.opted_out', actions: 'optOutByKeyword' },
    'provider.optedOut': { target: '.opted_out', actions: 'optOutElsewhere' },
    'keyword.help': { actions: 'sendHelp' },
    'delivery.failed': { actions: 'flagDeliveryFailure' },
    // Opted back in at the phone while this conversation was not opted out (invited during an opt-out).
    'provider.optedIn': { target: '.routing', actions: 'optIn' },
    superseded: { target: '.superseded', actions: 'stopTimers' },
  },
  states: {
    created: {
      on: {
        invite: { target: 'routing', actions: 'sendInvitation' },
        hold: { target: 'held' },
      },
    },
    held: {
      on: { activate: { target: 'routing', actions: 'sendInvitation' } },
    },
    // Transient: after any operation, the context says where the conversation now stands.
    routing: {
      always: [...LEAVE_ASKING, { target: 'asking' }],
    },
    invited: {
      on: {
        // Any text begins the survey and is not an answer, keywords other than STOP and HELP included.
        reply: BEGIN,
        activate: BEGIN,
        'keyword.start': BEGIN,
        'keyword.skip': BEGIN,
        'keyword.back': BEGIN,
        'keyword.repeat': BEGIN,
        ...TIMERS,
      },
    },
    // An answer stays in `asking` unless the context says otherwise: the same decision as `routing`, without
    // leaving and re-entering the state, which was about an eighth of the cost of a step.
    asking: {
      always: LEAVE_ASKING,
      on: { reply: { actions: 'answer' }, ...WHILE_ASKING },
    },
    confirming: {
      on: {
        reply: [
          { guard: 'isConfirmation', target: 'routing', actions: 'confirmPending' },
          { target: 'routing', actions: 'answer' },
        ],
        ...WHILE_ASKING,
      },
    },
    // Loop guard tripped: silence until staff look at it (STOP and HELP still work, from the root).
    paused: {
      on: { resume: { target: 'routing', actions: 'unpause' } },
    },
    expired: {
      on: {
        reply: RESUME_OR_CLOSE,
        activate: RESUME_OR_CLOSE,
        'keyword.start': RESUME_OR_CLOSE,
        'keyword.repeat': RESUME_OR_CLOSE,
        'keyword.skip': RESUME_OR_CLOSE,
        'keyword.back': RESUME_OR_CLOSE,
      },
    },
    // Nothing is sent from here, not even HELP, until the participant opts back in.
    opted_out: {
      on: {
        'keyword.stop': {},
        'keyword.help': {},
        'provider.optedOut': {},
        'delivery.failed': {},
        'keyword.start': { target: 'routing', actions: 'optIn' },
        'provider.optedIn': { target: 'routing', actions: 'optIn' },
        activate: { target: 'routing', actions: 'optIn' },
        reply: { guard: 'isStartWhileOptedOut', target: 'routing', actions: 'optIn' },
      },
    },
    completed: { type: 'final' },
    superseded: { type: 'final' },
  },
});

export type Interviewer = typeof interviewer;
