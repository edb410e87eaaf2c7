import { message, type Catalog } from '../../messages/catalog.js';
import { failWith, okValue } from '../types.js';
import type { TextFormat } from './format.js';

/**
 * Numbers as participants type them: either `,` or `.` is the decimal mark (thousands separators are
 * not supported), a leading `+` or zeros are dropped. Stored with the field's mark; `number_Ndp` pads
 * to N decimals and refuses more, because rounding would change the participant's answer silently.
 */
export function numberFormat(options: { decimals?: number | undefined; commaDecimal?: boolean | undefined }): TextFormat {
  const mark = options.commaDecimal === true ? ',' : '.';
  const decimals = options.decimals;
  const example = `12${mark}${'5'.padEnd(decimals ?? 1, '0')}`;
  return {
    read(text) {
      const parsed = readDecimal(text);
      if (parsed === undefined) return failWith('reply.number.invalid', { example });
      if (decimals !== undefined && parsed.exponent !== '') return failWith('reply.number.invalid', { example });
      if (decimals !== undefined && parsed.fraction.length > decimals) {
        return failWith('reply.number.decimals', { example });
      }
      const fraction = decimals === undefined ? parsed.fraction : parsed.fraction.padEnd(decimals, '0');
      return okValue(`${parsed.sign}${parsed.whole}${fraction === '' ? '' : mark + fraction}${parsed.exponent}`);
    },
    // Only the plain `number` type goes without an example: the others have a shape worth showing.
    hint: (catalog: Catalog) =>
      decimals === undefined && mark === '.' ? message(catalog, 'hint.number') : message(catalog, 'hint.numberLike', { example }),
    show: (stored) => stored,
    rank: rankNumber,
  };
}

export const integerFormat: TextFormat = {
  read(text) {
    const m = /^([+-]?)0*(\d+)$/.exec(text.trim().replace(/\s+/g, ''));
    if (m === null) return failWith('reply.integer.invalid');
    const [, sign = '', digits = ''] = m;
    return okValue(`${sign === '-' && digits !== '0' ? '-' : ''}${digits}`);
  },
  hint: (catalog) => message(catalog, 'hint.integer'),
  show: (stored) => stored,
  rank: rankNumber,
};

interface Decimal { sign: '' | '-'; whole: string; fraction: string; exponent: string }

function readDecimal(text: string): Decimal | undefined {
  const m = /^([+-]?)(\d*)(?:[.,](\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim().replace(/\s+/g, ''));
  if (m === null) return undefined;
  const [, sign = '', rawWhole = '', rawFraction = '', exponent] = m;
  if (rawWhole === '' && rawFraction === '') return undefined;
  const whole = rawWhole.replace(/^0+(?=\d)/, '') || '0';
  const isZero = /^0*$/.test(whole + rawFraction);
  return {
    sign: sign === '-' && !isZero ? '-' : '',
    whole,
    fraction: rawFraction,
    exponent: exponent === undefined ? '' : `e${exponent.replace(/^\+/, '')}`,
  };
}

/** Orders stored numbers whichever decimal mark they use. */
export function rankNumber(stored: string): number | undefined {
  const value = Number(stored.trim().replace(',', '.'));
  return stored.trim() === '' || !Number.isFinite(value) ? undefined : value;
}
