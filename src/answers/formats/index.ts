import { validationType } from '../../dictionary/validation-types.js';
import { okValue } from '../types.js';
import { dateFormat, dateTimeFormat, minutesSecondsFormat, timeFormat } from './dates.js';
import type { TextFormat } from './format.js';
import { IDENTIFIER_FORMATS } from './identifiers.js';
import { integerFormat, numberFormat } from './numbers.js';

export type { FormatContext, TextFormat } from './format.js';

/** Free text: kept as typed (trimmed). Also what an unknown, site-defined validation type gets. */
export const plainText: TextFormat = {
  read: (text) => okValue(text.trim()),
  hint: () => '',
  show: (stored) => stored,
};

const TIME_FORMATS: Readonly<Record<string, TextFormat>> = {
  time: timeFormat(false),
  time_hh_mm_ss: timeFormat(true),
  time_mm_ss: minutesSecondsFormat,
};

/** The reader for a text field's validation type (column H). */
export function textFormat(validation: string | null): TextFormat {
  if (validation === null) return plainText;
  const type = validationType(validation);
  if (type === undefined) return plainText;
  const order = type.order ?? 'ymd';
  switch (type.family) {
    case 'date': return dateFormat(order);
    case 'datetime': return dateTimeFormat(order, false);
    case 'datetime_seconds': return dateTimeFormat(order, true);
    case 'time': return TIME_FORMATS[type.name] ?? plainText;
    case 'integer': return integerFormat;
    case 'number': return numberFormat({ decimals: type.decimals, commaDecimal: type.commaDecimal });
    default: return IDENTIFIER_FORMATS[type.name] ?? plainText;
  }
}
