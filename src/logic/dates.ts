/**
 * Dates and times as REDCap stores them (`YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS]`, `HH:MM[:SS]`),
 * handled as wall-clock instants in UTC arithmetic: only `today` and `now` need a time zone.
 */
import { TZDate } from '@date-fns/tz';

export type DateOrder = 'ymd' | 'mdy' | 'dmy';

const ISO_DATETIME = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const TIME_ONLY = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;
const ORDERED_DATE = /^(\d{1,4})[-/.](\d{1,2})[-/.](\d{1,4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

/** Milliseconds of a wall-clock date/time, or undefined when the text is not one. */
export function wallClockMillis(text: string, order: DateOrder = 'ymd'): number | undefined {
  const trimmed = text.trim();
  const iso = ISO_DATETIME.exec(trimmed);
  if (iso !== null) return utcMillis(iso[1], iso[2], iso[3], iso[4], iso[5], iso[6]);
  const time = TIME_ONLY.exec(trimmed);
  if (time !== null) return utcMillis('1970', '1', '1', time[1], time[2], time[3]);
  const ordered = ORDERED_DATE.exec(trimmed);
  if (ordered === null || order === 'ymd') return undefined;
  const [, a, b, c, h, mi, s] = ordered;
  return order === 'mdy' ? utcMillis(c, a, b, h, mi, s) : utcMillis(c, b, a, h, mi, s);
}

function utcMillis(...parts: (string | undefined)[]): number | undefined {
  const [year, month, day, hour, minute, second] = parts.map((part) => Number(part ?? 0));
  const millis = Date.UTC(year!, month! - 1, day!, hour!, minute!, second!);
  const check = new Date(millis);
  // Reject 2023-02-30 and 25:00 rather than letting Date roll them over.
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month! - 1 || hour! > 23 || minute! > 59 || second! > 59) return undefined;
  return millis;
}

/** True when the text is a stored date, datetime or time, so comparisons go by time, not text. */
export function isStoredDate(text: string): boolean {
  return (ISO_DATETIME.test(text) || TIME_ONLY.test(text)) && wallClockMillis(text) !== undefined;
}

/** The wall clock in a zone, as the milliseconds of the same reading in UTC. */
export function wallClockNow(now: Date, timeZone: string): number {
  const zoned = new TZDate(now.getTime(), timeZone);
  return Date.UTC(zoned.getFullYear(), zoned.getMonth(), zoned.getDate(), zoned.getHours(), zoned.getMinutes(), zoned.getSeconds());
}

export function wallClockToday(now: Date, timeZone: string): number {
  const millis = wallClockNow(now, timeZone);
  return millis - (millis % DAY_MS);
}

export const DAY_MS = 86_400_000;

export type StorageFormat = 'date' | 'datetime' | 'datetime_seconds' | 'time' | 'time_seconds' | 'time_mm_ss';

/** The storage format a validation type implies; datetime with seconds when there is none. */
export function storageFormat(validation: string | null): StorageFormat {
  if (validation === null) return 'datetime_seconds';
  if (validation.startsWith('datetime_seconds')) return 'datetime_seconds';
  if (validation.startsWith('datetime')) return 'datetime';
  if (validation.startsWith('date')) return 'date';
  if (validation === 'time_hh_mm_ss') return 'time_seconds';
  if (validation === 'time_mm_ss') return 'time_mm_ss';
  if (validation === 'time') return 'time';
  return 'datetime_seconds';
}

export function formatWallClock(millis: number, format: StorageFormat): string {
  const iso = new Date(millis).toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const date = iso.slice(0, 10);
  switch (format) {
    case 'date': return date;
    case 'datetime': return `${date} ${iso.slice(11, 16)}`;
    case 'datetime_seconds': return `${date} ${iso.slice(11, 19)}`;
    case 'time': return iso.slice(11, 16);
    case 'time_seconds': return iso.slice(11, 19);
    case 'time_mm_ss': return iso.slice(14, 19);
  }
}

/** REDCap's datediff units: years of 365.2425 days and months of 30.44 days. */
export const UNIT_MS: Readonly<Record<string, number>> = {
  y: 365.2425 * DAY_MS,
  M: 30.44 * DAY_MS,
  d: DAY_MS,
  h: 3_600_000,
  m: 60_000,
  s: 1_000,
};
