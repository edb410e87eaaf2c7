/**
 * Events relative to the current one, as `[previous-event-name]`, `[next-event-name]`,
 * `[first-event-name]` and `[last-event-name]` name them: within the current event's arm, in the
 * project's event order. With an instrument parameter (`[previous-event-name:visit]`) only events that
 * hold that instrument count (decision 0055). No design or no current event: no event.
 */
import { armEvents, designEvent, isDesignatedFor, type DesignEvent, type ProjectDesign } from '../dictionary/project-design.js';
import type { EvalContext, EventDetails } from './context.js';

export type EventStep = 'previous' | 'next' | 'first' | 'last';

/** Smart variables that stand for an event name, usable as an event qualifier (`[previous-event-name][x]`). */
export const EVENT_QUALIFIERS: ReadonlySet<string> = new Set([
  'previous-event-name', 'next-event-name', 'first-event-name', 'last-event-name',
]);

export function relativeEvent(ctx: EvalContext, step: EventStep, instrument?: string): DesignEvent | undefined {
  if (ctx.design === undefined || ctx.event === undefined) return undefined;
  const arm = armEvents(ctx.design, ctx.event);
  const here = arm.findIndex((event) => event.name === ctx.event);
  const holds = (event: DesignEvent) => instrument === undefined || isDesignatedFor(event, instrument);
  switch (step) {
    case 'previous': return arm.slice(0, here).filter(holds).at(-1);
    case 'next': return arm.slice(here + 1).find(holds);
    case 'first': return arm.find(holds);
    case 'last': return arm.filter(holds).at(-1);
  }
}

/** What the smart variables say about one event of a design: label, id, position in its arm, arm. */
export function eventDetailsOf(design: ProjectDesign, name: string): EventDetails | undefined {
  const event = designEvent(design, name);
  if (event === undefined) return undefined;
  const armLabel = design.arms.find((arm) => arm.number === event.armNumber)?.name;
  return {
    name,
    label: event.label,
    ...(event.id === undefined ? {} : { id: event.id }),
    number: armEvents(design, name).indexOf(event) + 1,
    armNumber: event.armNumber,
    ...(armLabel === undefined ? {} : { armLabel }),
  };
}
