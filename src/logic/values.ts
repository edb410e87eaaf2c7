/**
 * What logic values are and how REDCap's loose typing treats them. Blank is the empty string;
 * a string is numeric when the whole (trimmed) text is a decimal number.
 */

export type Value = string | number | boolean;

export const BLANK = '';

const NUMERIC = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
const INTEGER = /^\s*[+-]?\d+\s*$/;

export function isBlank(value: Value): boolean {
  return value === BLANK || (typeof value === 'string' && value.trim() === '');
}

/** The number a value stands for, or undefined when it is blank or not a number. */
export function toNumber(value: Value): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (isPlainDecimal(value)) return Number(value);
  return NUMERIC.test(value) ? Number(value) : undefined;
}

/** The common case (`18`, `-2.5`) without a regular expression: branching evaluates this per message. */
function isPlainDecimal(text: string): boolean {
  const length = text.length;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) digits += 1;
    else if (code === 46) dots += 1;
    else if (!(code === 45 && i === 0)) return false;
  }
  return digits > 0 && dots <= 1;
}

export function isNumeric(value: Value): boolean {
  return toNumber(value) !== undefined;
}

export function isIntegerText(value: Value): boolean {
  if (typeof value === 'number') return Number.isInteger(value);
  if (typeof value === 'boolean') return true;
  return INTEGER.test(value);
}

/** Truthiness as logic uses it: blank and zero are false, any other text is true. */
export function toBoolean(value: Value): boolean {
  if (typeof value === 'boolean') return value;
  const number = toNumber(value);
  if (number !== undefined) return number !== 0;
  return !isBlank(value);
}

/** The text REDCap would store or show for a value: numbers as calcs store them, booleans as 1/0. */
export function toText(value: Value): string {
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number') return formatNumber(value);
  return value;
}

/**
 * A number as a calc field stores it: at most 15 significant digits (hiding binary noise such as
 * 0.1 + 0.2), no trailing zeros, no exponent for everyday magnitudes, blank for NaN and infinities.
 */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return BLANK;
  const rounded = Number(value.toPrecision(15));
  return Object.is(rounded, -0) ? '0' : String(rounded);
}

/** A numeric result, or blank when the arithmetic produced NaN or an infinity. */
export function numberOrBlank(value: number): Value {
  return Number.isFinite(value) ? value : BLANK;
}
