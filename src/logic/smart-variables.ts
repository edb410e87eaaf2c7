/**
 * Smart variables we can answer from the evaluation context. Unknown ones (and those that need
 * REDCap's server, such as survey links) resolve to blank rather than failing the expression.
 */
import type { EvalContext } from './context.js';
import { BLANK, type Value } from './values.js';

/** The value of `[name]` or `[name:parameter]`; the parameter is ignored. */
export function smartVariableValue(fullName: string, ctx: EvalContext): Value {
  const name = fullName.split(':')[0]!.toLowerCase();
  switch (name) {
    case 'record-name': return ctx.recordId ?? BLANK;
    case 'event-name': return ctx.event ?? BLANK;
    case 'instrument-name': return ctx.instrument ?? BLANK;
    case 'is-survey': return 1;
    case 'is-form': return 0;
    case 'current-instance': return ctx.instance ?? BLANK;
    case 'previous-instance': return ctx.instance === undefined || ctx.instance <= 1 ? BLANK : ctx.instance - 1;
    case 'next-instance': return ctx.instance === undefined ? BLANK : ctx.instance + 1;
    case 'first-instance': return knownInstances(ctx)[0] ?? BLANK;
    case 'last-instance': return knownInstances(ctx).at(-1) ?? BLANK;
    default: return BLANK;
  }
}

/** Instance numbers with data, the current one included, ascending. */
export function knownInstances(ctx: EvalContext): number[] {
  const numbers = new Set(Object.keys(ctx.instances ?? {}).map(Number));
  if (ctx.instance !== undefined) numbers.add(ctx.instance);
  return [...numbers].sort((a, b) => a - b);
}
