/**
 * `@CALCDATE(source, offset, unit)`: a date or datetime shifted by an offset, stored in the field's
 * own format. A blank source or offset gives blank.
 */
import type { EvalContext } from './context.js';
import { endpoint } from './datediff.js';
import { UNIT_MS, formatWallClock, storageFormat, type StorageFormat } from './dates.js';
import { BLANK, toNumber, type Value } from './values.js';

export function calcDate(source: Value, offset: Value, unit: string, validation: string | null, ctx: EvalContext): string {
  const start = endpoint(source, 'ymd', ctx);
  const amount = toNumber(offset);
  const step = UNIT_MS[unit.trim()];
  if (start === undefined || amount === undefined || step === undefined) return BLANK;
  return formatWallClock(start + amount * step, outputFormat(validation, source));
}

/** The field's date format; without a validation, a date source gives a date and anything else a datetime. */
function outputFormat(validation: string | null, source: Value): StorageFormat {
  if (validation === null) return String(source).trim().length <= 10 && String(source).trim() !== 'now' ? 'date' : 'datetime';
  const format = storageFormat(validation);
  return format.startsWith('time') ? 'datetime_seconds' : format;
}
