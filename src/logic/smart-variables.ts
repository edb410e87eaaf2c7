/**
 * Smart variables we can answer from the evaluation context. Those that need REDCap's server (survey
 * links, completion times) resolve to blank rather than failing the expression; the dictionary check
 * lists where they are used.
 */
import { instrumentLabel } from '../dictionary/structure.js';
import type { EvalContext, EventDetails } from './context.js';
import { eventDetailsOf, relativeEvent, type EventStep } from './event-navigation.js';
import { instancesOf } from './references.js';
import { BLANK, type Value } from './values.js';

/** The value of `[name]` or `[name:parameter]`; the parameter names an instrument where REDCap takes one. */
export function smartVariableValue(fullName: string, ctx: EvalContext): Value {
  const [rawName = '', parameter] = fullName.split(':');
  const name = rawName.toLowerCase();
  const instrument = parameter?.trim() || ctx.instrument;
  const details = currentEvent(ctx);
  const relative = /^(previous|next|first|last)-event-(name|label)$/.exec(name);
  if (relative !== null) {
    const event = relativeEvent(ctx, relative[1] as EventStep, parameter?.trim() || undefined);
    return (relative[2] === 'name' ? event?.name : event?.label) ?? BLANK;
  }
  switch (name) {
    case 'record-name': return ctx.recordId ?? BLANK;
    case 'event-name': return ctx.event ?? details?.name ?? BLANK;
    case 'event-label': return details?.label ?? BLANK;
    case 'event-id': return details?.id ?? BLANK;
    case 'event-number': return details?.number ?? BLANK;
    case 'arm-number': return details?.armNumber ?? BLANK;
    case 'arm-label': return details?.armLabel ?? BLANK;
    case 'instrument-name': return ctx.instrument ?? BLANK;
    case 'instrument-label': return instrument === undefined ? BLANK : instrumentLabel(ctx.survey, instrument);
    case 'survey-title': return instrument === undefined ? BLANK : surveyTitle(ctx, instrument);
    case 'is-survey': return 1;
    case 'is-form': return 0;
    case 'current-instance': return ctx.instance ?? BLANK;
    case 'previous-instance': return ctx.instance === undefined || ctx.instance <= 1 ? BLANK : ctx.instance - 1;
    case 'next-instance': return ctx.instance === undefined ? BLANK : ctx.instance + 1;
    case 'first-instance': return currentInstances(ctx)[0] ?? BLANK;
    case 'last-instance': return currentInstances(ctx).at(-1) ?? BLANK;
    default: return BLANK;
  }
}

/** A survey's title is the project's configured one, else its instrument's label (REDCap's default title). */
function surveyTitle(ctx: EvalContext, instrument: string): string {
  const configured = ctx.surveyTitles?.[instrument];
  return configured !== undefined && configured.trim() !== '' ? configured : instrumentLabel(ctx.survey, instrument);
}

/** The current event as the shell described it, else as the project's design does. */
function currentEvent(ctx: EvalContext): EventDetails | undefined {
  if (ctx.eventDetails !== undefined) return ctx.eventDetails;
  return ctx.design === undefined || ctx.event === undefined ? undefined : eventDetailsOf(ctx.design, ctx.event);
}

/** Smart variables the core can answer only when the shell passes their context in (the event, the design). */
export const CONTEXT_SMART_VARIABLES: ReadonlySet<string> = new Set([
  'event-name', 'event-label', 'event-id', 'event-number', 'arm-number', 'arm-label',
  'previous-event-name', 'previous-event-label', 'next-event-name', 'next-event-label',
  'first-event-name', 'first-event-label', 'last-event-name', 'last-event-label',
]);

/** Smart variables answered from the context or the dictionary; any other pipes blank. */
export const KNOWN_SMART_VARIABLES: ReadonlySet<string> = new Set([
  'record-name', 'instrument-name', 'instrument-label', 'survey-title', 'is-survey', 'is-form',
  'current-instance', 'previous-instance', 'next-instance', 'first-instance', 'last-instance',
  ...CONTEXT_SMART_VARIABLES,
]);

/** Instance numbers with data of what is being filled in (its repeating form or event), ascending. */
function currentInstances(ctx: EvalContext): number[] {
  if (ctx.repeatInstrument === undefined) return ctx.instance === undefined ? [] : [ctx.instance];
  return instancesOf(ctx, ctx.event, ctx.repeatInstrument);
}
