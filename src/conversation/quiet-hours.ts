import { TZDate } from '@date-fns/tz';
import { isIanaTimeZone } from './time-zone.js';
import type { RecordData } from '../logic/index.js';
import type { ConversationSettings } from './settings.js';

type QuietHours = NonNullable<ConversationSettings['quietHours']>;

/** The participant's zone: a valid IANA name in the configured record field, else the project's. */
export function participantTimeZone(record: RecordData, settings: ConversationSettings): string {
  const fromRecord = settings.timeZoneField === null ? '' : (record[settings.timeZoneField] ?? '').trim();
  return fromRecord !== '' && isIanaTimeZone(fromRecord) ? fromRecord : settings.timeZone;
}

export function minutesOf(clock: string): number {
  const [hours = 0, minutes = 0] = clock.split(':').map(Number);
  return hours * 60 + minutes;
}

function localMinutes(at: Date, timeZone: string): number {
  const local = new TZDate(at.getTime(), timeZone);
  return local.getHours() * 60 + local.getMinutes();
}

/** True inside the window; a window like 21:00–08:00 wraps past midnight. */
export function isQuiet(at: Date, timeZone: string, quiet: QuietHours): boolean {
  return isQuietMinute(localMinutes(at, timeZone), quiet);
}

/** True when a local minute of the day (0–1439) is inside the window. */
export function isQuietMinute(minute: number, quiet: QuietHours): boolean {
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return false;
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}

/** The first moment at or after `at` that is outside quiet hours, in the participant's zone. */
export function endOfQuiet(at: Date, timeZone: string, quiet: QuietHours | null): Date {
  if (quiet === null || !isQuiet(at, timeZone, quiet)) return at;
  const local = new TZDate(at.getTime(), timeZone);
  const end = minutesOf(quiet.end);
  const candidate = new TZDate(local.getFullYear(), local.getMonth(), local.getDate(), Math.floor(end / 60), end % 60, timeZone);
  if (candidate.getTime() <= at.getTime()) candidate.setDate(candidate.getDate() + 1);
  return new Date(candidate.getTime());
}
