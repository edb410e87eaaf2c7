/**
 * REDCap's special functions: each takes already-evaluated arguments (`if` is lazy and lives in
 * the compiler) and returns a value. Number arguments that are blank make the result blank.
 */
import type { Expr } from './ast.js';
import type { EvalContext } from './context.js';
import { datediff, datediffLiteralProblem } from './datediff.js';
import { wallClockMillis } from './dates.js';
import {
  BLANK, isBlank, isIntegerText, isNumeric, numberOrBlank, toNumber, toText, type Value,
} from './values.js';

interface FunctionSpec {
  min: number;
  max: number;
  apply(args: readonly Value[], ctx: EvalContext): Value;
  /** A problem with arguments written as literals, found when parsing: where and why. */
  literalProblem?(args: readonly Expr[]): { message: string; pos: number } | undefined;
}

const numeric1 = (fn: (x: number) => number): FunctionSpec => ({
  min: 1, max: 1, apply: ([x]) => withNumbers([x!], ([a]) => fn(a!)),
});

const rounding = (mode: 'round' | 'up' | 'down'): FunctionSpec => ({
  min: 1,
  max: 2,
  apply: ([x, places]) => withNumbers([x!, places ?? 0], ([value, dp]) => roundTo(value!, Math.trunc(dp!), mode)),
});

const aggregate = (fn: (numbers: number[]) => number | undefined): FunctionSpec => ({
  min: 1,
  max: Infinity,
  apply: (args) => {
    const numbers = args.map(toNumber).filter((n): n is number => n !== undefined);
    const result = numbers.length === 0 ? undefined : fn(numbers);
    return result === undefined ? BLANK : numberOrBlank(result);
  },
});

const text1 = (fn: (text: string) => Value): FunctionSpec => ({ min: 1, max: 1, apply: ([t]) => fn(toText(t!)) });

const textPair = (fn: (haystack: string, needle: string) => boolean): FunctionSpec => ({
  min: 2, max: 2, apply: ([h, n]) => fn(toText(h!).toLowerCase(), toText(n!).toLowerCase()),
});

const datePart = (fn: (date: Date) => number): FunctionSpec => ({
  min: 1,
  max: 1,
  apply: ([d]) => {
    const millis = wallClockMillis(toText(d!));
    return millis === undefined ? BLANK : fn(new Date(millis));
  },
});

const FUNCTIONS: Readonly<Record<string, FunctionSpec>> = {
  // `if` is compiled lazily; its entry here only declares the arity for the parser.
  if: { min: 3, max: 3, apply: () => BLANK },
  datediff: { min: 3, max: 5, apply: (args, ctx) => datediff(args, ctx), literalProblem: datediffLiteralProblem },
  round: rounding('round'),
  roundup: rounding('up'),
  rounddown: rounding('down'),
  sqrt: numeric1(Math.sqrt),
  abs: numeric1(Math.abs),
  exponential: numeric1(Math.exp),
  log: {
    min: 1,
    max: 2,
    apply: ([x, base]) => (base === undefined
      ? withNumbers([x!], ([a]) => Math.log(a!))
      : withNumbers([x!, base], ([a, b]) => Math.log(a!) / Math.log(b!))),
  },
  mod: { min: 2, max: 2, apply: ([a, b]) => withNumbers([a!, b!], ([x, y]) => x! % y!) },
  min: aggregate((n) => Math.min(...n)),
  max: aggregate((n) => Math.max(...n)),
  sum: aggregate(sum),
  mean: aggregate((n) => sum(n) / n.length),
  median: aggregate(median),
  stdev: aggregate(sampleStandardDeviation),
  isnumber: { min: 1, max: 1, apply: ([x]) => isNumeric(x!) },
  isinteger: { min: 1, max: 1, apply: ([x]) => !isBlank(x!) && isIntegerText(x!) },
  isblankormissingcode: { min: 1, max: 1, apply: ([x], ctx) => isBlank(x!) || isMissingCode(x!, ctx) },
  isblanknotmissingcode: { min: 1, max: 1, apply: ([x], ctx) => isBlank(x!) && !isMissingCode(x!, ctx) },
  ismissingcode: { min: 1, max: 1, apply: ([x], ctx) => isMissingCode(x!, ctx) },
  hasmissingcode: { min: 1, max: 1, apply: ([x], ctx) => isMissingCode(x!, ctx) },
  contains: textPair((h, n) => h.includes(n)),
  not_contain: textPair((h, n) => !h.includes(n)),
  starts_with: textPair((h, n) => h.startsWith(n)),
  ends_with: textPair((h, n) => h.endsWith(n)),
  find: { min: 2, max: 2, apply: ([n, h]) => toText(h!).toLowerCase().indexOf(toText(n!).toLowerCase()) + 1 },
  left: { min: 2, max: 2, apply: ([t, n]) => withCount(n!, (count) => toText(t!).slice(0, count)) },
  right: { min: 2, max: 2, apply: ([t, n]) => withCount(n!, (count) => (count === 0 ? '' : toText(t!).slice(-count))) },
  mid: {
    min: 3,
    max: 3,
    apply: ([t, start, n]) => withCount(start!, (from) => withCount(n!, (count) => toText(t!).substr(Math.max(from - 1, 0), count))),
  },
  length: text1((t) => t.length),
  trim: text1((t) => t.trim()),
  upper: text1((t) => t.toUpperCase()),
  lower: text1((t) => t.toLowerCase()),
  replace_text: { min: 3, max: 3, apply: ([t, search, by]) => replaceAll(toText(t!), toText(search!), toText(by!)) },
  concat: { min: 1, max: Infinity, apply: (args) => args.map(toText).join('') },
  concat_ws: {
    min: 2,
    max: Infinity,
    apply: ([separator, ...parts]) => parts.map(toText).filter((p) => p !== '').join(toText(separator!)),
  },
  year: datePart((d) => d.getUTCFullYear()),
  month: datePart((d) => d.getUTCMonth() + 1),
  day: datePart((d) => d.getUTCDate()),
  dayoftheweek: datePart((d) => d.getUTCDay()),
};

/** The argument counts a function accepts, or undefined when REDCap has no such function. */
export function functionArity(name: string): { min: number; max: number } | undefined {
  const spec = FUNCTIONS[name];
  return spec === undefined ? undefined : { min: spec.min, max: spec.max };
}

/** What is wrong with a call's literal arguments (a datediff unit REDCap has not), or undefined. */
export function literalArgumentProblem(name: string, args: readonly Expr[]): { message: string; pos: number } | undefined {
  return FUNCTIONS[name]?.literalProblem?.(args);
}

export function functionImplementation(name: string): FunctionSpec['apply'] {
  const spec = FUNCTIONS[name];
  if (spec === undefined) throw new Error(`no logic function ${name}`);
  return spec.apply;
}

export const FUNCTION_NAMES: readonly string[] = Object.keys(FUNCTIONS);

function withNumbers(values: readonly Value[], fn: (numbers: number[]) => number): Value {
  const numbers = values.map(toNumber);
  if (numbers.some((n) => n === undefined)) return BLANK;
  return numberOrBlank(fn(numbers as number[]));
}

function withCount(value: Value, fn: (count: number) => Value): Value {
  const count = toNumber(value);
  return count === undefined || count < 0 ? BLANK : fn(Math.trunc(count));
}

/** Half away from zero like PHP; toPrecision first so 1.005 rounds to 1.01, not 1.00. */
export function roundTo(value: number, places: number, mode: 'round' | 'up' | 'down'): number {
  const factor = 10 ** places;
  const scaled = Number((Math.abs(value) * factor).toPrecision(15));
  const magnitude = mode === 'round' ? Math.round(scaled) : mode === 'up' ? Math.ceil(scaled) : Math.floor(scaled);
  return (Math.sign(value) * magnitude) / factor;
}

function sum(numbers: readonly number[]): number {
  return numbers.reduce((total, n) => total + n, 0);
}

function median(numbers: readonly number[]): number {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function sampleStandardDeviation(numbers: readonly number[]): number | undefined {
  if (numbers.length < 2) return undefined;
  const mean = sum(numbers) / numbers.length;
  const squares = numbers.reduce((total, n) => total + (n - mean) ** 2, 0);
  return Math.sqrt(squares / (numbers.length - 1));
}

function isMissingCode(value: Value, ctx: EvalContext): boolean {
  const text = toText(value).trim();
  return text !== '' && (ctx.missingCodes ?? []).includes(text);
}

function replaceAll(text: string, search: string, by: string): string {
  return search === '' ? text : text.split(search).join(by);
}
