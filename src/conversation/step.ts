import { createActor, type AnyActorScope } from 'xstate';
import type { Survey } from '../dictionary/model.js';
import { NO_LANGUAGES, startingLanguage, type Languages } from '../languages/index.js';
import type { Catalog } from '../messages/catalog.js';
import { mergeContextChanges, NO_CONTEXT_CHANGES, type ContextChanges, type ConversationContext } from './context.js';
import type { Effect } from './effects.js';
import type { ConversationEvent, MachineEvent } from './events.js';
import type { StepEnv } from './interview.js';
import { matchKeyword } from './keywords.js';
import { envInLanguage, settingsInEveryLanguage, switchTarget } from './language.js';
import { interviewer, type EffectEmitted } from './machine.js';
import { endOfQuiet, participantTimeZone } from './quiet-hours.js';
import type { ConversationSettings } from './settings.js';

/** Bump when the persisted snapshot's JSON shape changes; stored beside every snapshot. */
export const SNAPSHOT_FORMAT = 1;

export type ConversationStatus =
  | 'held' | 'invited' | 'asking' | 'confirming' | 'paused' | 'expired' | 'opted_out' | 'completed' | 'superseded';

/** The JSON a conversation is stored as: XState's persisted snapshot. */
export interface PersistedConversation {
  status: string;
  value: string;
  context: ConversationContext;
  historyValue: Record<string, unknown>;
  children: Record<string, unknown>;
}

export interface StepResult {
  snapshot: PersistedConversation;
  effects: Effect[];
  /** What the step changed of the snapshot's record and `answered` list, for a store that writes them apart. */
  changes: ContextChanges;
  status: ConversationStatus;
  /** False once the conversation can never receive another text (completed, superseded). */
  open: boolean;
}

/** A stored snapshot the current machine cannot read; the conversation needs a person, not a restart. */
export class IncompatibleSnapshot extends Error {}

type Snapshot = ReturnType<typeof interviewer.resolveState>;

/**
 * One pure, synchronous step: (survey version, stored snapshot, event, now) → (next snapshot, effects).
 * Runs nothing; the caller persists the snapshot and turns the effects into rows in one transaction.
 */
export function step(
  survey: Survey,
  snapshot: unknown,
  event: ConversationEvent,
  now: Date,
  settings: ConversationSettings,
  catalog: Catalog = {},
  languages: Languages = NO_LANGUAGES,
): StepResult {
  const switched = event.type === 'inbound' ? switchTarget(event.text, languages) : null;
  const stored = switched === null ? snapshot : inLanguage(snapshot, switched);
  const opening = event.type === 'invite' ? withStartingLanguage(event, languages) : event;
  const language = opening.type === 'invite' ? opening.start.language : conversationLanguage(stored);
  const env = envInLanguage({ survey, settings: settingsInEveryLanguage(settings, languages), catalog, now }, language, languages);
  const [start, startActions] = stored === null ? begin(opening) : [restore(stored), []];
  // A switch word re-sends where the participant is, now in their language; it is never an answer.
  const machineEvent = switched === null ? toMachineEvent(opening, env) : { type: 'keyword.repeat' as const, env };
  const [next, actions] = machineEvent === null ? [start, []] : pureTransition(start, machineEvent);
  const emitted = [...startActions, ...actions];
  const effects = emitted.flatMap(effectOf);
  // Like REDCap's @LANGUAGE-CURRENT-SURVEY, the record remembers the language the participant chose.
  if (switched !== null && languages.field !== null) effects.unshift({ type: 'write', values: { [languages.field]: switched } });
  const persisted = persist(next);
  return {
    snapshot: persisted,
    changes: emitted.reduce(mergeChanges, NO_CONTEXT_CHANGES),
    effects: isSolicited(event) ? effects : deferOutOfQuietHours(effects, next.context, env),
    status: persisted.value as ConversationStatus,
    open: next.status === 'active',
  };
}

function withStartingLanguage(event: Extract<ConversationEvent, { type: 'invite' }>, languages: Languages): ConversationEvent {
  const language = startingLanguage(languages, event.start.record, event.start.language);
  return language === undefined ? event : { ...event, start: { ...event.start, language } };
}

/** The language a stored conversation speaks (an MLM language id); undefined for the dictionary's own. */
export function conversationLanguage(snapshot: unknown): string | undefined {
  return (snapshot as PersistedConversation | null)?.context.language;
}

/** The stored conversation, switched to `language`; the switch persists with the snapshot. */
function inLanguage(snapshot: unknown, language: string): unknown {
  if (snapshot === null) return null;
  const persisted = snapshot as PersistedConversation;
  return { ...persisted, context: { ...persisted.context, language } };
}

/**
 * XState's persisted snapshot, built directly. `getPersistedSnapshot` walks every value of the context
 * looking for actors to replace, one more pass per text over a record of hundreds of answers (a tenth of
 * a step at 300 answers, issue 28); the interviewer spawns no actors, has no history states and keeps
 * JSON in its context. Anything else goes through XState.
 */
function persist(snapshot: Snapshot): PersistedConversation {
  const { status, value, historyValue, context, children, output, error } = snapshot;
  if (Object.keys(children).length > 0 || Object.keys(historyValue).length > 0 || output !== undefined || error !== undefined) {
    return interviewer.getPersistedSnapshot(snapshot) as unknown as PersistedConversation;
  }
  return { status, value: value as string, historyValue: {}, context, children: {} };
}

/**
 * XState's `transition()` and `initialTransition()` build a throwaway actor for every call, and building
 * one evaluates the machine's initial context; on the inbound path that was a fifth of the CPU of a text.
 * The machine never spawns, delays or reads its system, so one never-started actor can stand behind
 * every step: each call gets its own scope that only collects the actions, exactly as those functions do.
 */
const inertSelf = createActor(interviewer, { input: { phone: '', instrument: '', recordId: '', record: {} } });
const ignore = () => {};

function collectingActions<T>(run: (scope: AnyActorScope) => T): [T, unknown[]] {
  const actions: unknown[] = [];
  const scope: AnyActorScope = {
    self: inertSelf, system: inertSelf.system, id: '', sessionId: '',
    logger: ignore, defer: ignore, emit: ignore, stopChild: ignore,
    actionExecutor: (action) => void actions.push(action),
  };
  return [run(scope), actions];
}

function pureTransition(snapshot: Snapshot, event: MachineEvent): [Snapshot, unknown[]] {
  return collectingActions((scope) => interviewer.transition(snapshot, event, scope));
}

function begin(event: ConversationEvent): [Snapshot, unknown[]] {
  if (event.type !== 'invite') throw new Error('a new conversation must start with an invitation');
  return collectingActions((scope) => interviewer.getInitialSnapshot(scope, event.start));
}

/** Rebuilds a machine snapshot from stored JSON; XState throws on state values it does not know. */
export function restore(snapshot: unknown): Snapshot {
  try {
    return interviewer.resolveState(snapshot as Parameters<typeof interviewer.resolveState>[0]);
  } catch (error) {
    throw new IncompatibleSnapshot(`stored conversation cannot be restored: ${(error as Error).message}`);
  }
}

/** Inbound texts become keyword events or replies here, so the machine never parses raw text for keywords. */
function toMachineEvent(event: ConversationEvent, env: StepEnv): MachineEvent | null {
  switch (event.type) {
    case 'invite':
      return { type: event.hold === true ? 'hold' : 'invite', env };
    case 'inbound': {
      const keyword = matchKeyword(event.text, env.settings.keywords);
      return keyword === null ? { type: 'reply', text: event.text, env } : { type: `keyword.${keyword}`, env };
    }
    case 'timer':
      return { type: `timer.${event.kind}`, revision: event.revision, env };
    case 'deliveryFailed':
      return { type: event.optedOut ? 'provider.optedOut' : 'delivery.failed', env };
    case 'optedOut':
      return { type: 'provider.optedOut', env };
    case 'optedIn':
      return { type: 'provider.optedIn', env };
    case 'activate':
    case 'superseded':
    case 'resume':
      return { type: event.type, env };
  }
}

function emittedOf(action: unknown): EffectEmitted | undefined {
  const emitted = action as { type?: string; params?: { event?: EffectEmitted } };
  return emitted.type === 'xstate.emit' ? emitted.params?.event : undefined;
}

function effectOf(action: unknown): Effect[] {
  const emitted = emittedOf(action);
  return emitted?.type === 'effect' ? [emitted.effect] : [];
}

function mergeChanges(changes: ContextChanges, action: unknown): ContextChanges {
  const emitted = emittedOf(action);
  return emitted?.type === 'changes' ? mergeContextChanges(changes, emitted.changes) : changes;
}

/** Texts the participant just asked for go at once; anything else waits for the end of quiet hours. */
function isSolicited(event: ConversationEvent): boolean {
  return event.type === 'inbound' || (event.type === 'activate' && event.solicited);
}

/**
 * Unsolicited texts inside quiet hours get a `notBefore`; timers set in the same step move by the same
 * delay, so a reminder counts from when the participant could first see the question.
 */
function deferOutOfQuietHours(effects: Effect[], context: ConversationContext, env: StepEnv): Effect[] {
  const allowed = endOfQuiet(env.now, participantTimeZone(context.record, env.settings), env.settings.quietHours);
  const delay = allowed.getTime() - env.now.getTime();
  if (delay === 0) return effects;
  return effects.map((effect) => {
    if (effect.type === 'send') return { ...effect, notBefore: allowed.toISOString() };
    if (effect.type === 'setTimer') return { ...effect, at: new Date(Date.parse(effect.at) + delay).toISOString() };
    return effect;
  });
}
