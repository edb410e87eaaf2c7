import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { parseReply, renderPrompt, skipValues, splitMessage } from '../answers/index.js';
import type { Survey } from '../dictionary/model.js';
import { fieldMap } from '../dictionary/index.js';
import { surveyLogic, type RecordData } from '../logic/index.js';
import { message, type Catalog } from '../messages/catalog.js';
import { mergeContextChanges, NO_CONTEXT_CHANGES, type ContextChanges, type ConversationContext } from './context.js';
import { addDuration } from './duration.js';
import { embeddedQuestionLabel, embedsAsPiping } from './embedded-text.js';
import type { Effect, SendKind } from './effects.js';
import { changedValues, evalContext, fieldOf, instrumentOf, nextQuestion, prefilledAnswer, type Position } from './navigator.js';
import { participantTimeZone } from './quiet-hours.js';
import type { ConversationSettings, SurveySettings } from './settings.js';

/** What every operation needs besides the conversation itself; lives for one step, never persisted. */
export interface StepEnv {
  survey: Survey;
  settings: ConversationSettings;
  catalog: Catalog;
  now: Date;
}

/** The result of one domain operation: the next context and the effects it asks for. */
export interface Outcome {
  context: ConversationContext;
  effects: Effect[];
  /** What the operation changed of the record and of `answered`; absent: neither. */
  changes?: ContextChanges;
}

const unchanged = (context: ConversationContext, ...effects: Effect[]): Outcome => ({ context, effects });

/** Where the conversation stands; `given`, answers of this step not yet in its record, may name the participant's zone. */
function positionOf(context: ConversationContext, env: StepEnv, given: RecordData = {}): Position {
  const zoneField = env.settings.timeZoneField;
  return {
    survey: env.survey,
    instrument: instrumentOf(env.survey, context.instrument),
    record: context.record,
    recordId: context.recordId,
    now: env.now,
    timeZone: participantTimeZone(zoneField !== null && given[zoneField] !== undefined ? given : context.record, env.settings),
    serverTimeZone: env.settings.timeZone,
    surveyTitles: surveyTitles(env.settings),
    place: context,
    skipCap: env.settings.skipCap,
  };
}

/** `[survey-title]`: the instrument's survey title, else the display name the project gave it. */
function surveyTitles(settings: ConversationSettings): Readonly<Record<string, string>> {
  const titled = Object.entries(settings.surveys).flatMap(([name, survey]) => (survey.title === undefined ? [] : [[name, survey.title] as const]));
  return titled.length === 0 ? settings.titles : { ...settings.titles, ...Object.fromEntries(titled) };
}

function text(env: StepEnv, key: string, params?: Record<string, string | number>): string {
  return message(env.catalog, key, params);
}

/** Lead-in lines and the question in as few texts as fit: one SMS body when it can, ordered parts otherwise. */
function compose(lines: readonly string[]): string[] {
  return splitMessage(lines.filter((line) => line.trim() !== '').join('\n'));
}

function send(context: ConversationContext, kind: SendKind, lines: readonly string[]): Effect {
  return { type: 'send', to: context.phone, parts: compose(lines), kind };
}

/** The prompt for the field being asked, with optional lead-in (section header, descriptive text). */
function promptText(context: ConversationContext, env: StepEnv, lead: string[] = []): string {
  if (context.current === null) return '';
  const position = positionOf(context, env);
  const logic = surveyLogic(env.survey);
  const evaluation = evalContext(position);
  const prefilled = prefilledAnswer(position, context.current);
  const field = fieldOf(env.survey, context.current);
  const fromHost = embeddedQuestionLabel(env.survey, field, context.record);
  return renderPrompt({
    survey: env.survey,
    field: fromHost === undefined ? field : { ...field, label: fromHost.label },
    tags: logic.effectiveTags(context.current, evaluation),
    pipe: (raw) => logic.pipe(embedsAsPiping(raw, env.survey), evaluation),
    catalog: env.catalog,
    // A descriptive host whose text the question repeats is not sent twice.
    lead: fromHost === undefined ? lead : lead.filter((text) => text !== fromHost.holder),
    record: context.record,
    ...(prefilled === undefined ? {} : { prefilled }),
  }).text;
}

/** Cancels pending timers and sets reminders and expiry from now, under a new timer revision. */
export function rescheduleTimers(context: ConversationContext, env: StepEnv): Outcome {
  const revision = context.timerRevision + 1;
  const effects: Effect[] = [{ type: 'cancelTimers' }];
  for (const delay of env.settings.reminders) {
    effects.push({ type: 'setTimer', kind: 'reminder', at: addDuration(env.now, delay).toISOString(), revision });
  }
  if (env.settings.expiry !== null) {
    effects.push({ type: 'setTimer', kind: 'expiry', at: addDuration(env.now, env.settings.expiry).toISOString(), revision });
  }
  return { context: { ...context, timerRevision: revision }, effects };
}

function withTimers(outcome: Outcome, env: StepEnv): Outcome {
  if (outcome.context.finished || outcome.context.paused) return outcome;
  const timers = rescheduleTimers(outcome.context, env);
  return { ...outcome, context: timers.context, effects: [...outcome.effects, ...timers.effects] };
}

/**
 * The values to import into REDCap. Calc fields are left out: REDCap computes them itself on import
 * and refuses an import that sets one, which would fail the whole batch of answers. The engine still
 * keeps their values in its own record for branching and piping.
 */
function writeEffect(values: RecordData, env: StepEnv): Effect[] {
  const fields = fieldMap(env.survey);
  const importable = Object.fromEntries(Object.entries(values).filter(([name]) => fields.get(name)?.type !== 'calc'));
  return Object.keys(importable).length === 0 ? [] : [{ type: 'write', values: importable }];
}

/**
 * Records `values` (the answer that got us here), moves to the next question after `after` and asks it,
 * prefixed by `prefix` lines; or finishes the survey; or pauses it when the skip cap trips. Calculated and
 * default values passed on the way are written together with `values`.
 */
function advance(context: ConversationContext, env: StepEnv, after: string | null, prefix: string[], kind: SendKind, values: RecordData = {}): Outcome {
  const next = nextQuestion(positionOf(context, env, values), after, values);
  const record = next.record;
  // Every value the record gained: the answers given and what the walk computed or filled in.
  const writes = { ...values, ...next.writes };
  const changes = recordChanges(writes);
  if (next.kind === 'ask') {
    const asked = { ...context, record, current: next.field.name, pending: null };
    return { context: asked, effects: [...writeEffect(writes, env), send(asked, kind, [...prefix, promptText(asked, env, next.lead)])], changes };
  }
  if (next.kind === 'stuck') {
    const stuck = { ...context, record, current: null, paused: true };
    return { context: stuck, effects: [...writeEffect(writes, env), { type: 'cancelTimers' }, { type: 'flag', reason: 'skip cap reached: the survey passes over too many fields in one step' }], changes };
  }
  return finish({ ...context, record }, env, writes);
}

function recordChanges(values: RecordData): ContextChanges {
  return { record: values, answered: null };
}

/** `values` are every value the caller put in the record on the way here; finishing adds the form's status. */
function finish(context: ConversationContext, env: StepEnv, values: RecordData): Outcome {
  const complete = instrumentOf(env.survey, context.instrument).completeField;
  const done = { ...context, current: null, pending: null, finished: true, record: { ...context.record, [complete]: '2' } };
  const completion = surveySettings(context, env)?.endText ?? env.settings.completionText ?? text(env, 'conversation.completion');
  const written = { ...values, [complete]: '2' };
  return {
    context: done,
    effects: [...writeEffect(written, env), { type: 'cancelTimers' }, send(done, 'completion', [completion])],
    changes: recordChanges(written),
  };
}

function surveySettings(context: ConversationContext, env: StepEnv): SurveySettings | undefined {
  return env.settings.surveys[context.instrument];
}

/** REDCap shows the survey title and instructions above the first question; so does the first text. */
function surveyIntro(context: ConversationContext, env: StepEnv): string[] {
  const survey = surveySettings(context, env);
  return [survey?.title ?? '', survey?.instructions ?? ''];
}

/** A stop action: the answer chose a code that ends the survey (a checkbox: any such option checked). */
function stopsSurvey(context: ConversationContext, env: StepEnv, values: RecordData): boolean {
  const field = context.current === null ? undefined : fieldOf(env.survey, context.current);
  const codes = field === undefined ? undefined : surveySettings(context, env)?.stopActions[field.name];
  if (field === undefined || codes === undefined) return false;
  if (field.type !== 'checkbox') return codes.includes(values[field.name] ?? '');
  return field.checkboxExports.some((option) => codes.includes(option.code) && values[option.exportName] === '1');
}

function invitationIntro(env: StepEnv): string {
  return env.settings.invitationText ?? text(env, 'conversation.invitation');
}

/** The invitation: the first question in the same text, or REDCap's "reply with any text to begin". */
export function invite(context: ConversationContext, env: StepEnv): Outcome {
  if (env.settings.invitation === 'reply-to-begin') {
    const waiting = { ...context, awaitingStart: true };
    return withTimers(unchanged(waiting, send(waiting, 'invitation', [invitationIntro(env), text(env, 'conversation.replyToBegin')])), env);
  }
  return withTimers(advance(context, env, null, [invitationIntro(env), ...surveyIntro(context, env)], 'invitation'), env);
}

/** The participant's first text after a reply-to-begin invitation; the text itself is not an answer. */
export function begin(context: ConversationContext, env: StepEnv): Outcome {
  return withTimers(advance({ ...context, awaitingStart: false }, env, null, surveyIntro(context, env), 'question'), env);
}

/** An ordinary reply to the current question (or a new value instead of confirming one). */
export function answer(context: ConversationContext, env: StepEnv, reply: string): Outcome {
  if (context.current === null) return begin(context, env);
  const field = fieldOf(env.survey, context.current);
  const position = positionOf(context, env);
  const outcome = parseReply({
    survey: env.survey,
    field,
    tags: surveyLogic(env.survey).effectiveTags(field.name, evalContext(position)),
    text: reply,
    record: context.record,
    now: env.now,
    timeZone: position.timeZone,
    catalog: env.catalog,
  });
  if (outcome.kind === 'accepted') return accept(context, env, outcome.values);
  if (outcome.kind === 'confirm') {
    const confirming = { ...context, pending: outcome.values };
    return withTimers(unchanged(confirming, send(confirming, 'confirm', [outcome.message])), env);
  }
  return reject(context, env, outcome.message);
}

/** YES to a value outside the soft range: keep it. */
export function confirmPending(context: ConversationContext, env: StepEnv): Outcome {
  return context.pending === null ? repeat(context, env) : accept(context, env, context.pending);
}

/** Saves an answer at once (partial data is never held back) and asks what comes next. */
function accept(context: ConversationContext, env: StepEnv, values: RecordData): Outcome {
  const current = context.current ?? '';
  const complete = instrumentOf(env.survey, context.instrument).completeField;
  const firstAnswer = context.started ? {} : { [complete]: '0' };
  // The answer goes into the record with the rest of the step's values, in advance's one copy of it.
  const saved: ConversationContext = { ...context, answered: [...context.answered, current], pending: null, invalidAt: [], started: true };
  const given = { ...values, ...firstAnswer };
  const pushed: ContextChanges = { record: {}, answered: context.answered.length };
  // A stop action ends the survey here, so finish needs the answer in the record itself (advance is skipped).
  if (stopsSurvey(context, env, values)) return withChanges(finish({ ...saved, record: { ...context.record, ...given } }, env, given), pushed);
  return withChanges(withTimers(advance(saved, env, current, [], 'question', given), env), pushed);
}

function withChanges(outcome: Outcome, changes: ContextChanges): Outcome {
  return { ...outcome, changes: mergeContextChanges(changes, outcome.changes ?? NO_CONTEXT_CHANGES) };
}

/**
 * An invalid reply: say why and ask again — unless the participant (or a misbehaving phone) has
 * sent too many invalid replies in the window, then pause and hand over to staff.
 */
function reject(context: ConversationContext, env: StepEnv, reason: string): Outcome {
  const windowStart = env.now.getTime() - env.settings.loopGuard.windowMinutes * 60_000;
  const invalidAt = [...context.invalidAt.filter((at) => Date.parse(at) > windowStart), env.now.toISOString()];
  if (invalidAt.length >= env.settings.loopGuard.maxInvalid) {
    const paused = { ...context, invalidAt, paused: true, pending: null };
    return unchanged(paused,
      { type: 'cancelTimers' },
      { type: 'flag', reason: `loop guard: ${invalidAt.length} invalid replies within ${env.settings.loopGuard.windowMinutes} minutes` },
      send(paused, 'paused', [text(env, 'conversation.paused')]));
  }
  const retry = { ...context, invalidAt, pending: null };
  return withTimers(unchanged(retry, send(retry, 'reprompt', [reason, promptText(retry, env)])), env);
}

/**
 * SKIP: keeps the answer REDCap filled in (@DEFAULT, @SETVALUE) and moves on, as leaving a pre-filled
 * survey field alone does; otherwise clears an optional field, and a required field says so and asks again.
 */
export function skip(context: ConversationContext, env: StepEnv): Outcome {
  if (context.current === null) return begin(context, env);
  const field = fieldOf(env.survey, context.current);
  const prefilled = prefilledAnswer(positionOf(context, env), field.name);
  if (prefilled !== undefined) return accept(context, env, changedValues(context.record, prefilled));
  if (field.required) {
    return withTimers(unchanged(context, send(context, 'reprompt', [text(env, 'conversation.requiredSkip'), promptText(context, env)])), env);
  }
  return accept(context, env, changedValues(context.record, skipValues(field)));
}

/** BACK: re-asks the latest answered question that branching still shows. */
export function back(context: ConversationContext, env: StepEnv): Outcome {
  if (context.current === null) return begin(context, env);
  const position = positionOf(context, env);
  const logic = surveyLogic(env.survey);
  const answered = [...context.answered];
  while (answered.length > 0) {
    const previous = answered.pop() ?? '';
    if (logic.isShown(previous, evalContext(position))) {
      const reasked = { ...context, answered, current: previous, pending: null };
      return withTimers(withChanges(unchanged(reasked, send(reasked, 'question', [promptText(reasked, env)])), { record: {}, answered: answered.length }), env);
    }
  }
  return withTimers(unchanged(context, send(context, 'reprompt', [text(env, 'conversation.nothingBefore'), promptText(context, env)])), env);
}

/** REPEAT (and START while opted in): the current question again, unchanged. */
export function repeat(context: ConversationContext, env: StepEnv): Outcome {
  if (context.current === null) return begin(context, env);
  const again = { ...context, pending: null };
  return withTimers(unchanged(again, send(again, 'question', [promptText(again, env)])), env);
}

export function help(context: ConversationContext, env: StepEnv): Outcome {
  return unchanged(context, send(context, 'help', [env.settings.helpText ?? text(env, 'conversation.help')]));
}

/** A reminder timer: the current question (or the invitation) again, with the reminder prefix. */
export function remind(context: ConversationContext, env: StepEnv): Outcome {
  const prefix = text(env, 'conversation.reminderPrefix');
  if (context.awaitingStart) {
    return unchanged(context, send(context, 'reminder', [prefix, invitationIntro(env), text(env, 'conversation.replyToBegin')]));
  }
  return unchanged(context, send(context, 'reminder', [prefix, promptText(context, env)]));
}

/** Expiry: answers so far stay saved and the form stays incomplete. */
export function expire(context: ConversationContext, env: StepEnv): Outcome {
  return unchanged(context, { type: 'cancelTimers' }, send(context, 'expired', [text(env, 'conversation.expired')]));
}

/** A text after expiry, with `afterExpiry: resume`: carry on where the participant left off. */
export function resume(context: ConversationContext, env: StepEnv): Outcome {
  if (context.awaitingStart || context.current === null) return begin(context, env);
  return withTimers(unchanged(context, send(context, 'resumed', [text(env, 'conversation.resumed'), promptText(context, env)])), env);
}

export function closed(context: ConversationContext, env: StepEnv): Outcome {
  return unchanged(context, send(context, 'closed', [text(env, 'conversation.closed')]));
}

/** STOP (or the provider's opt-out): nothing more is sent to this phone until START. */
export function optOut(context: ConversationContext, env: StepEnv, confirm: boolean): Outcome {
  const stamp = format(new TZDate(env.now.getTime(), participantTimeZone(context.record, env.settings)), 'yyyy-MM-dd HH:mm:ss');
  const effects: Effect[] = [{ type: 'optOut' }, ...optOutWrite(env, stamp), { type: 'cancelTimers' }];
  if (confirm && env.settings.optOutConfirmation) effects.push(send(context, 'opted-out', [text(env, 'conversation.optedOut')]));
  return { context: { ...context, pending: null }, effects };
}

/** START: opted back in; the conversation carries on with the question it was on. */
export function optIn(context: ConversationContext, env: StepEnv): Outcome {
  const welcome = text(env, 'conversation.optedIn');
  const next = context.awaitingStart || context.current === null
    ? unchanged(context, send(context, 'opted-in', [welcome, text(env, 'conversation.replyToBegin')]))
    : unchanged(context, send(context, 'opted-in', [welcome, promptText(context, env)]));
  return withTimers({ context: next.context, effects: [{ type: 'optIn' }, ...optOutWrite(env, ''), ...next.effects] }, env);
}

/** The opt-out time written back to REDCap when the project names a field for it. */
function optOutWrite(env: StepEnv, value: string): Effect[] {
  return env.settings.optOutField === null ? [] : [{ type: 'write', values: { [env.settings.optOutField]: value } }];
}

export function stopTimers(context: ConversationContext): Outcome {
  return unchanged(context, { type: 'cancelTimers' });
}
