/**
 * `dateFormat` on record import: REDCap reads date and datetime values as `YMD` (the default,
 * `YYYY-MM-DD`), `MDY` (`M/D/YYYY`) or `DMY` (`D/M/YYYY`), with slashes or dashes, and stores them as
 * `YYYY-MM-DD`. A value that does not fit the order is left as sent, so the import check refuses it.
 */
import { validationType } from '../../dictionary/index.js';
import type { Field } from '../../dictionary/model.js';

export const DATE_FORMATS = ['YMD', 'MDY', 'DMY'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

const DATE_FAMILIES = new Set(['date', 'datetime', 'datetime_seconds']);

export function isDateField(field: Field): boolean {
  if (field.type !== 'text' || field.validation === null) return false;
  return DATE_FAMILIES.has(validationType(field.validation)?.family ?? '');
}

const DAY_FIRST_OR_MONTH_FIRST = /^(\d{1,2})[/-](\d{1,2})[/-](\d{4})(\s.*)?$/;

export function toStoredDate(value: string, format: DateFormat): string {
  if (format === 'YMD') return value;
  const match = DAY_FIRST_OR_MONTH_FIRST.exec(value.trim());
  if (!match) return value;
  const [, first = '', second = '', year = '', time = ''] = match;
  const [month, day] = format === 'MDY' ? [first, second] : [second, first];
  return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}${time === '' ? '' : ` ${time.trim()}`}`;
}
