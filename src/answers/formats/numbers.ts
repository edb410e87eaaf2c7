import { message, type Catalog } from '../../messages/catalog.js';
import { failWith, okValue, type Checked } from '../types.js';
import type { TextFormat } from './format.js';

/**
 * Numbers as REDCap validates them: only the field's own decimal mark (`.` for `number`, `,` for the
 * comma types), no thousands separators and no spaces inside. `1,500` in a `number` field could be
 * 1500 or 1.5, and `415 555 1212` is three numbers, so both are refused with a reason rather than
 * guessed (decision 0040). A leading `+` or zeros are dropped. `number_Ndp` pads to N decimals and
 * refuses more, because rounding would change the participant's answer silently.
 */
export function numberFormat(options: { decimals?: number | undefined; commaDecimal?: boolean | undefined }): TextFormat {
  const mark = options.commaDecimal === true ? ',' : '.';
  const decimals = options.decimals;
  const example = `12${mark}${'5'.padEnd(decimals ?? 1, '0')}`;
  return {
    read(text) {
      const parsed = readDecimal(text, mark);
      if (!parsed.ok) return failWith(parsed.key, { example });
      const number = parsed.value;
      if (decimals !== undefined && number.exponent !== '') return failWith('reply.number.invalid', { example });
      if (decimals !== undefined && number.fraction.length > decimals) {
        return failWith('reply.number.decimals', { example });
      }
      const fraction = decimals === undefined ? number.fraction : number.fraction.padEnd(decimals, '0');
      return okValue(`${number.sign}${number.whole}${fraction === '' ? '' : mark + fraction}${number.exponent}`);
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
    const trimmed = text.trim();
    const m = /^([+-]?)0*(\d+)$/.exec(trimmed);
    if (m === null) return failWith(integerProblem(trimmed));
    const [, sign = '', digits = ''] = m;
    return okValue(`${sign === '-' && digits !== '0' ? '-' : ''}${digits}`);
  },
  hint: (catalog) => message(catalog, 'hint.integer'),
  show: (stored) => stored,
  rank: rankNumber,
};

/** Why a reply is not a whole number, as specifically as the text allows. */
function integerProblem(text: string): string {
  if (/^[+-]?\d+(?:\s+\d+)+$/.test(text)) return 'reply.integer.spaces';
  if (/^[+-]?\d{1,3}(?:[,.]\d{3})+$/.test(text)) return 'reply.integer.separators';
  return 'reply.integer.invalid';
}

interface Decimal { sign: '' | '-'; whole: string; fraction: string; exponent: string }

const decimalPattern = (mark: '.' | ','): RegExp =>
  new RegExp(`^([+-]?)(\\d*)(?:\\${mark}(\\d*))?(?:[eE]([+-]?\\d+))?$`);
const POINT_DECIMAL = decimalPattern('.');
const COMMA_DECIMAL = decimalPattern(',');

function readDecimal(text: string, mark: '.' | ','): Checked<Decimal> {
  const trimmed = text.trim();
  const own = mark === '.' ? POINT_DECIMAL : COMMA_DECIMAL;
  const decimal = matchDecimal(own, trimmed);
  if (decimal !== undefined) return okValue(decimal);
  if (matchDecimal(own, trimmed.replace(/\s+/g, '')) !== undefined) return failWith('reply.number.spaces');
  // The other mark, as a decimal mark or a thousands separator: refused, never reinterpreted.
  const other = mark === '.' ? ',' : '.';
  if (trimmed.includes(other) && matchDecimal(own, trimmed.replace(/\s+/g, '').replaceAll(other, '')) !== undefined) {
    return failWith(mark === '.' ? 'reply.number.comma' : 'reply.number.point');
  }
  return failWith('reply.number.invalid');
}

function matchDecimal(pattern: RegExp, text: string): Decimal | undefined {
  const m = pattern.exec(text);
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
