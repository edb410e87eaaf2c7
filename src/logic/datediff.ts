/**
 * `datediff(d1, d2, unit[, signed])` and the legacy `datediff(d1, d2, unit, 'ymd'|'mdy'|'dmy'[, signed])`:
 * the time from d1 to d2 in the unit, unsigned unless asked. `'today'` and `'now'` read the injected clock.
 */
import type { Expr } from './ast.js';
import type { EvalContext } from './context.js';
import { UNIT_MS, wallClockMillis, wallClockNow, wallClockToday, type DateOrder } from './dates.js';
import { BLANK, toNumber, toText, type Value } from './values.js';

const ORDERS: readonly string[] = ['ymd', 'mdy', 'dmy'];

export function datediff(args: readonly Value[], ctx: EvalContext): Value {
  const [first, second, unitArg, fourth, fifth] = args;
  const legacyOrder = typeof fourth === 'string' && ORDERS.includes(fourth.toLowerCase());
  const order = (legacyOrder ? (fourth as string).toLowerCase() : 'ymd') as DateOrder;
  const signed = isTrue(legacyOrder ? fifth : fourth);
  const unit = UNIT_MS[toText(unitArg!).trim()];
  const from = endpoint(first!, order, ctx);
  const to = endpoint(second!, order, ctx);
  if (unit === undefined || from === undefined || to === undefined) return BLANK;
  const difference = (to - from) / unit;
  return signed ? difference : Math.abs(difference);
}

export function endpoint(value: Value, order: DateOrder, ctx: EvalContext): number | undefined {
  const text = toText(value).trim();
  const keyword = text.toLowerCase();
  if (keyword === 'today') return wallClockToday(ctx.now, ctx.timeZone);
  if (keyword === 'now') return wallClockNow(ctx.now, ctx.timeZone);
  return wallClockMillis(text, order);
}

function isTrue(flag: Value | undefined): boolean {
  if (flag === undefined) return false;
  if (typeof flag === 'boolean') return flag;
  if (typeof flag === 'string' && flag.trim().toLowerCase() === 'true') return true;
  const number = toNumber(flag);
  return number !== undefined && number !== 0;
}

const UNITS = Object.keys(UNIT_MS);

/**
 * A unit or date order written as text that REDCap does not know is a mistake in the dictionary, not a
 * blank result: it is reported when the expression is parsed (decision 0042). A unit read from a field
 * can only be judged at run time, where an unknown one still gives blank.
 */
export function datediffLiteralProblem(args: readonly Expr[]): { message: string; pos: number } | undefined {
  const [, , unit, fourth] = args;
  if (unit?.kind === 'string' && !UNITS.includes(unit.value.trim())) {
    return { message: `datediff() has no unit '${unit.value}': use one of ${UNITS.map((u) => `'${u}'`).join(', ')} (M is months, m minutes)`, pos: unit.pos };
  }
  if (fourth?.kind === 'string' && !ORDERS.includes(fourth.value.toLowerCase()) && !['true', 'false'].includes(fourth.value.trim().toLowerCase())) {
    return { message: `datediff()'s fourth argument '${fourth.value}' is neither a date format ('ymd', 'mdy', 'dmy') nor true/false`, pos: fourth.pos };
  }
  return undefined;
}
