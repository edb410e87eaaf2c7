/**
 * REDCap comparison rules: numbers compare as numbers when both sides are numeric, stored dates
 * compare as instants, anything else compares as case-sensitive text. Blank is not zero, and an
 * ordering (`<`, `>=`, …) with a blank side is false — see docs/decisions/0004.
 */
import type { ComparisonOp } from './ast.js';
import { isStoredDate, wallClockMillis } from './dates.js';
import { isBlank, toNumber, toText, type Value } from './values.js';

export function compareValues(op: ComparisonOp, left: Value, right: Value): boolean {
  if (op === '=') return sameValue(left, right);
  if (op === '<>') return !sameValue(left, right);
  if (isBlank(left) || isBlank(right)) return false;
  const order = ordering(left, right);
  switch (op) {
    case '<': return order < 0;
    case '<=': return order <= 0;
    case '>': return order > 0;
    case '>=': return order >= 0;
  }
}

function sameValue(left: Value, right: Value): boolean {
  const a = toNumber(left);
  const b = toNumber(right);
  if (a !== undefined && b !== undefined) return a === b;
  // A number never equals blank or non-numeric text: this is what makes `[n] <> 0` true when blank.
  if (a !== undefined || b !== undefined) return false;
  const dates = asDates(left, right);
  if (dates !== undefined) return dates[0] === dates[1];
  return toText(left) === toText(right);
}

function ordering(left: Value, right: Value): number {
  const a = toNumber(left);
  const b = toNumber(right);
  if (a !== undefined && b !== undefined) return a - b;
  const dates = asDates(left, right);
  if (dates !== undefined) return dates[0] - dates[1];
  const textA = toText(left);
  const textB = toText(right);
  return textA < textB ? -1 : textA > textB ? 1 : 0;
}

function asDates(left: Value, right: Value): [number, number] | undefined {
  if (typeof left !== 'string' || typeof right !== 'string') return undefined;
  if (!isStoredDate(left.trim()) || !isStoredDate(right.trim())) return undefined;
  return [wallClockMillis(left)!, wallClockMillis(right)!];
}

const NUMERIC_ORDER: Readonly<Record<ComparisonOp, (a: number, b: number) => boolean>> = {
  '=': (a, b) => a === b,
  '<>': (a, b) => a !== b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

/**
 * The same rules against a literal known at compile time (`[age] >= 18`, `[sex] = '1'`): the literal's
 * number is worked out once, and a numeric value takes the short path.
 */
export function comparatorAgainst(op: ComparisonOp, constant: Value): (value: Value) => boolean {
  const number = toNumber(constant);
  if (number === undefined) return (value) => compareValues(op, value, constant);
  const numeric = NUMERIC_ORDER[op];
  return (value) => {
    const n = toNumber(value);
    return n === undefined ? compareValues(op, value, constant) : numeric(n, number);
  };
}
