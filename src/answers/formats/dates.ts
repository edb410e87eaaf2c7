import { isValid, parse } from 'date-fns';
import type { DateOrder } from '../../dictionary/validation-types.js';
import { message, wordList, type Catalog } from '../../messages/catalog.js';
import { failWith, okValue, type Checked } from '../types.js';
import { localTime, pad, type LocalTime } from './clock.js';
import type { FormatContext, TextFormat } from './format.js';

interface Ymd { year: number; month: number; day: number }
interface Hms { hour: number; minute: number; second: number | undefined }

const REFERENCE_DATE = new Date(2000, 0, 1);

/** A date typed in the field's order (or Y-M-D), with `- / .` or spaces, month names, or "today". */
export function readDate(text: string, order: DateOrder, ctx: FormatContext): Checked<Ymd> {
  const clean = text.trim().toLocaleLowerCase().replace(/,/g, ' ').replace(/(\d)(st|nd|rd|th)\b/g, '$1');
  if (wordList(ctx.catalog, 'words.today').includes(clean)) return okValue(todayOf(localTime(ctx.now, ctx.timeZone)));
  const parts = datePieces(clean, order, ctx.catalog);
  if (parts === undefined) return failWith('reply.date.invalid');
  return realDate(parts) ? okValue(parts) : failWith('reply.date.impossible');
}

function todayOf(clock: LocalTime): Ymd {
  return { year: clock.year, month: clock.month, day: clock.day };
}

function datePieces(clean: string, order: DateOrder, catalog: Catalog): Ymd | undefined {
  const tokens = clean.split(/[\s\-/.]+/).filter((t) => t !== '');
  if (tokens.length === 1) return compactDate(tokens[0] ?? '', order);
  if (tokens.length !== 3) return undefined;
  const monthAt = tokens.findIndex((t) => /\p{L}/u.test(t));
  if (monthAt >= 0) return namedMonthDate(tokens, monthAt, catalog);
  if (!tokens.every((t) => /^\d+$/.test(t))) return undefined;
  const [a = '', b = '', c = ''] = tokens;
  // A four-digit first part is Y-M-D whatever the display order: that is how REDCap stores dates.
  if (a.length === 4) return numericDate(a, b, c);
  if (order === 'mdy') return numericDate(c, a, b);
  if (order === 'dmy') return numericDate(c, b, a);
  return undefined;
}

/** `20260305` (or `03052026` in M-D-Y / D-M-Y order), as REDCap also accepts no separator. */
function compactDate(token: string, order: DateOrder): Ymd | undefined {
  if (!/^\d{8}$/.test(token)) return undefined;
  const [p1, p2, p3] = order === 'ymd' ? [token.slice(0, 4), token.slice(4, 6), token.slice(6)] : [token.slice(0, 2), token.slice(2, 4), token.slice(4)];
  if (order === 'ymd') return numericDate(p1, p2, p3);
  return order === 'mdy' ? numericDate(p3, p1, p2) : numericDate(p3, p2, p1);
}

function numericDate(year: string, month: string, day: string): Ymd | undefined {
  if (!/^\d{4}$/.test(year) || !/^\d{1,2}$/.test(month) || !/^\d{1,2}$/.test(day)) return undefined;
  return { year: Number(year), month: Number(month), day: Number(day) };
}

/** "March 5 2026", "5 March 2026", "Mar 5, 2026": the four-digit number is the year. */
function namedMonthDate(tokens: string[], monthAt: number, catalog: Catalog): Ymd | undefined {
  const month = monthNumber(tokens[monthAt] ?? '', catalog);
  const numbers = tokens.filter((_, i) => i !== monthAt);
  if (month === undefined || !numbers.every((t) => /^\d+$/.test(t))) return undefined;
  const year = numbers.find((t) => t.length === 4);
  const day = numbers.find((t) => t.length <= 2);
  if (year === undefined || day === undefined) return undefined;
  return numericDate(year, String(month), day);
}

function monthNumber(word: string, catalog: Catalog): number | undefined {
  const name = word.replace(/\.$/, '');
  if (name.length < 3) return undefined;
  const index = wordList(catalog, 'words.months').findIndex((m) => m === name || m.startsWith(name));
  return index >= 0 ? index + 1 : undefined;
}

function realDate({ year, month, day }: Ymd): boolean {
  return isValid(parse(`${pad(year, 4)}-${month}-${day}`, 'yyyy-M-d', REFERENCE_DATE));
}

/** "14:30", "2:30 pm", "2pm", "14:30:15", or "now". */
export function readTime(text: string, ctx: FormatContext): Checked<Hms> {
  const clean = text.trim().toLocaleLowerCase();
  if (wordList(ctx.catalog, 'words.now').includes(clean)) {
    const clock = localTime(ctx.now, ctx.timeZone);
    return okValue({ hour: clock.hour, minute: clock.minute, second: clock.second });
  }
  const match = /^(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?\s*([\p{L}.]+)?$/u.exec(clean);
  if (match === null) return failWith('reply.time.invalid');
  const [, h = '', m, s, meridiem] = match;
  const hour = toDayHour(Number(h), meridiem, ctx.catalog);
  if (hour === undefined || (m === undefined && meridiem === undefined)) return failWith('reply.time.invalid');
  const minute = Number(m ?? '0');
  const second = s === undefined ? undefined : Number(s);
  if (minute > 59 || (second ?? 0) > 59) return failWith('reply.time.invalid');
  return okValue({ hour, minute, second });
}

function toDayHour(hour: number, meridiem: string | undefined, catalog: Catalog): number | undefined {
  if (meridiem === undefined) return hour <= 23 ? hour : undefined;
  if (hour < 1 || hour > 12) return undefined;
  if (wordList(catalog, 'words.am').includes(meridiem)) return hour % 12;
  if (wordList(catalog, 'words.pm').includes(meridiem)) return (hour % 12) + 12;
  return undefined;
}

const storeDate = (d: Ymd): string => `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}`;

function showDate(stored: string, order: DateOrder): string {
  const [y = '', m = '', d = ''] = stored.slice(0, 10).split('-');
  const rest = stored.slice(10);
  if (order === 'mdy') return `${m}-${d}-${y}${rest}`;
  if (order === 'dmy') return `${d}-${m}-${y}${rest}`;
  return stored;
}

/** Orders `YYYY-MM-DD[ HH:MM[:SS]]` and `HH:MM[:SS]` values as seconds. */
function rankOf(stored: string): number | undefined {
  const m = /^(?:(\d{4})-(\d{2})-(\d{2}))?\s*(?:(\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(stored);
  if (m === null || stored === '') return undefined;
  const [, y, mo, d, h, mi, s] = m;
  const days = y === undefined ? 0 : Date.UTC(Number(y), Number(mo) - 1, Number(d)) / 86_400_000;
  return days * 86_400 + Number(h ?? 0) * 3600 + Number(mi ?? 0) * 60 + Number(s ?? 0);
}

function example(order: DateOrder, ctx: FormatContext, time = ''): string {
  return showDate(storeDate(todayOf(localTime(ctx.now, ctx.timeZone))), order) + time;
}

function orderWords(catalog: Catalog, order: DateOrder): string {
  return message(catalog, `order.${order}`);
}

export function dateFormat(order: DateOrder): TextFormat {
  return {
    read(text, ctx) {
      const date = readDate(text, order, ctx);
      if (date.ok) return okValue(storeDate(date.value));
      return failWith(date.key, { order: orderWords(ctx.catalog, order), example: example(order, ctx) });
    },
    hint: (catalog) => message(catalog, 'hint.date', { order: orderWords(catalog, order) }),
    show: (stored) => showDate(stored, order),
    rank: rankOf,
    clock: (_kind, ctx) => storeDate(todayOf(localTime(ctx.now, ctx.timeZone))),
  };
}

/** Date and time; `withSeconds` stores `:SS` (missing seconds read as 00), otherwise seconds are refused. */
export function dateTimeFormat(order: DateOrder, withSeconds: boolean): TextFormat {
  const family = withSeconds ? 'datetime_seconds' : 'datetime';
  const store = (d: Ymd, t: Hms): string => `${storeDate(d)} ${storeTime(t, withSeconds)}`;
  const fail = (ctx: FormatContext): Checked<string> =>
    failWith(`reply.${family}.invalid`, {
      order: orderWords(ctx.catalog, order),
      example: example(order, ctx, withSeconds ? ' 14:30:00' : ' 14:30'),
    });
  return {
    read(text, ctx) {
      const clean = text.trim().toLocaleLowerCase().replace(/(\d)t(\d)/, '$1 $2');
      if (wordList(ctx.catalog, 'words.now').includes(clean)) return okValue(clockDateTime(ctx, withSeconds));
      const split = splitDateTime(clean, ctx.catalog);
      if (split === undefined) return fail(ctx);
      const date = readDate(split.date, order, ctx);
      const time = readTime(split.time, ctx);
      if (!date.ok && date.key === 'reply.date.impossible') {
        return failWith(date.key, { order: orderWords(ctx.catalog, order), example: example(order, ctx) });
      }
      if (!date.ok || !time.ok || (!withSeconds && time.value.second !== undefined)) return fail(ctx);
      return okValue(store(date.value, time.value));
    },
    hint: (catalog) => message(catalog, `hint.${family}`, { order: orderWords(catalog, order) }),
    show: (stored) => showDate(stored, order),
    rank: rankOf,
    clock: (kind, ctx) =>
      kind === 'now' ? clockDateTime(ctx, withSeconds) : `${storeDate(todayOf(localTime(ctx.now, ctx.timeZone)))} 00:00${withSeconds ? ':00' : ''}`,
  };
}

function clockDateTime(ctx: FormatContext, withSeconds: boolean): string {
  const clock = localTime(ctx.now, ctx.timeZone);
  return `${storeDate(todayOf(clock))} ${storeTime(clock, withSeconds)}`;
}

function storeTime(t: Hms, withSeconds: boolean): string {
  return `${pad(t.hour)}:${pad(t.minute)}${withSeconds ? `:${pad(t.second ?? 0)}` : ''}`;
}

/** The time is the last word, or the last two when the last is "am"/"pm". */
function splitDateTime(clean: string, catalog: Catalog): { date: string; time: string } | undefined {
  const words = clean.split(/\s+/).filter((w) => w !== '');
  const last = words.at(-1) ?? '';
  const meridiems = [...wordList(catalog, 'words.am'), ...wordList(catalog, 'words.pm')];
  const timeWords = meridiems.includes(last) ? 2 : 1;
  if (words.length <= timeWords) return undefined;
  return { date: words.slice(0, -timeWords).join(' '), time: words.slice(-timeWords).join(' ') };
}

/** `time` (HH:MM) and `time_hh_mm_ss` (HH:MM:SS, seconds default to 00). */
export function timeFormat(withSeconds: boolean): TextFormat {
  const family = withSeconds ? 'time_hh_mm_ss' : 'time';
  return {
    read(text, ctx) {
      const time = readTime(text, ctx);
      if (!time.ok || (!withSeconds && time.value.second !== undefined && !isNowWord(text, ctx))) {
        return failWith(`reply.${family}.invalid`);
      }
      return okValue(storeTime(time.value, withSeconds));
    },
    hint: (catalog) => message(catalog, `hint.${family}`),
    show: (stored) => stored,
    rank: rankOf,
    clock: (_kind, ctx) => storeTime(localTime(ctx.now, ctx.timeZone), withSeconds),
  };
}

function isNowWord(text: string, ctx: FormatContext): boolean {
  return wordList(ctx.catalog, 'words.now').includes(text.trim().toLocaleLowerCase());
}

/** `time_mm_ss`: minutes and seconds, each 00–59. */
export const minutesSecondsFormat: TextFormat = {
  read(text) {
    const m = /^(\d{1,2}):(\d{1,2})$/.exec(text.trim());
    const minutes = Number(m?.[1] ?? 'x');
    const seconds = Number(m?.[2] ?? 'x');
    if (!(minutes <= 59 && seconds <= 59)) return failWith('reply.time_mm_ss.invalid');
    return okValue(`${pad(minutes)}:${pad(seconds)}`);
  },
  hint: (catalog) => message(catalog, 'hint.time_mm_ss'),
  show: (stored) => stored,
  rank: (stored) => {
    const [m = 'x', s = 'x'] = stored.split(':');
    const value = Number(m) * 60 + Number(s);
    return Number.isFinite(value) ? value : undefined;
  },
};
