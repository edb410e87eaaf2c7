/**
 * Whether one imported value is acceptable for its field, as REDCap's import checks it: raw codes only
 * (labels are refused), values in the storage format (dates `YYYY-MM-DD`), numbers per validation type.
 * Returns the reason for a refusal, or undefined. The wording is the emulator's own: REDCap's exact
 * server-side texts are not public (reference §7, question 10); the `"record","field","value","message"`
 * line format around them is REDCap's.
 */
import type { Field } from '../../dictionary/model.js';
import { validationType, type ValidationType } from '../../dictionary/validation-types.js';

const CHOICE_TYPES = new Set<Field['type']>(['radio', 'dropdown', 'yesno', 'truefalse']);

/** `checkboxCode` is set when the value is a checkbox option's `field___code` column. */
export function valueProblem(field: Field, value: string, checkboxCode?: string): string | undefined {
  if (checkboxCode !== undefined) return value === '0' || value === '1' ? undefined : `The value must be 0 or 1 for a checkbox option`;
  if (CHOICE_TYPES.has(field.type) || (field.type === 'sql' && field.choices.length > 0)) return choiceProblem(field, value);
  if (field.type === 'calc') return 'This field is a calculated field and cannot be imported';
  if (field.type === 'file') return 'This field is a file upload field and cannot be imported';
  if (field.type === 'slider') return sliderProblem(field, value);
  if (field.type === 'text' && field.validation !== null) {
    const type = validationType(field.validation);
    return type ? formatProblem(type, value) : undefined;
  }
  return undefined;
}

function choiceProblem(field: Field, value: string): string | undefined {
  if (field.choices.some((choice) => choice.code === value)) return undefined;
  const codes = field.choices.map((choice) => choice.code).join(', ');
  return `The value is not a valid category for ${field.name} (valid codes: ${codes})`;
}

function sliderProblem(field: Field, value: string): string | undefined {
  const min = field.slider?.min ?? 0;
  const max = field.slider?.max ?? 100;
  const number = /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
  return number >= min && number <= max ? undefined : `The value must be a whole number from ${min} to ${max}`;
}

interface FormatRule {
  test: (value: string) => boolean;
  expected: string;
}

const matches = (pattern: RegExp) => (value: string) => pattern.test(value);

/** A `YYYY-MM-DD` string that names a real calendar day. */
function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const HH_MM = '([01]\\d|2[0-3]):[0-5]\\d';
const dateThen = (rest: string) => (value: string) => new RegExp(`^\\d{4}-\\d{2}-\\d{2}${rest}$`).test(value) && isCalendarDate(value);

const RULES_BY_NAME: Readonly<Record<string, FormatRule>> = {
  time: { test: matches(new RegExp(`^${HH_MM}$`)), expected: 'a time HH:MM (00:00-23:59)' },
  time_hh_mm_ss: { test: matches(new RegExp(`^${HH_MM}:[0-5]\\d$`)), expected: 'a time HH:MM:SS' },
  time_mm_ss: { test: matches(/^[0-5]\d:[0-5]\d$/), expected: 'a time MM:SS' },
  zipcode: { test: matches(/^\d{5}(-\d{4})?$/), expected: 'a 5 or 9 digit U.S. ZIP Code' },
  phone: { test: matches(/^\(?[2-9]\d{2}\)?[-. ]?\d{3}[-. ]?\d{4}(\s*(x|ext\.?)\s*\d+)?$/i), expected: 'a 10 digit North American phone number' },
  ssn: { test: matches(/^\d{3}-\d{2}-\d{4}$/), expected: 'a Social Security Number NNN-NN-NNNN' },
  alpha_only: { test: matches(/^[a-z]+$/i), expected: 'letters only' },
  mrn_10d: { test: matches(/^\d{10}$/), expected: 'a 10 digit MRN' },
  vmrn: { test: matches(/^\d{4,9}$/), expected: 'a 4 to 9 digit MRN' },
};

function ruleForType(type: ValidationType): FormatRule | undefined {
  const byName = RULES_BY_NAME[type.name];
  if (byName) return byName;
  switch (type.family) {
    case 'date': return { test: dateThen(''), expected: 'a date YYYY-MM-DD' };
    case 'datetime': return { test: dateThen(` ${HH_MM}`), expected: 'a datetime YYYY-MM-DD HH:MM' };
    case 'datetime_seconds': return { test: dateThen(` ${HH_MM}:[0-5]\\d`), expected: 'a datetime YYYY-MM-DD HH:MM:SS' };
    case 'integer': return { test: matches(/^[-+]?\d+$/), expected: 'an integer' };
    case 'number': return numberRule(type);
    case 'email': return { test: matches(/^[^\s@]+@[^\s@]+\.[^\s@]+$/), expected: 'an email address' };
    default: return undefined;
  }
}

function numberRule(type: ValidationType): FormatRule {
  const point = type.commaDecimal ? ',' : '\\.';
  const shown = type.commaDecimal ? 'comma' : 'point';
  if (type.decimals !== undefined) {
    return {
      test: matches(new RegExp(`^-?\\d+${point}\\d{${type.decimals}}$`)),
      expected: `a number with exactly ${type.decimals} decimal place(s) after a decimal ${shown}`,
    };
  }
  return {
    test: matches(new RegExp(`^[-+]?(\\d+(${point}\\d*)?|${point}\\d+)([eE][-+]?\\d+)?$`)),
    expected: `a number (decimal ${shown})`,
  };
}

function formatProblem(type: ValidationType, value: string): string | undefined {
  const rule = ruleForType(type);
  if (!rule || rule.test(value)) return undefined;
  return `The value is not ${rule.expected} as the validation type ${type.name} requires`;
}
