import { TZDate } from '@date-fns/tz';

export interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall clock in the participant's zone; an unknown zone reads as UTC rather than failing. */
export function localTime(now: Date, timeZone: string): LocalTime {
  const zoned = new TZDate(now.getTime(), isKnownZone(timeZone) ? timeZone : 'UTC');
  return {
    year: zoned.getFullYear(),
    month: zoned.getMonth() + 1,
    day: zoned.getDate(),
    hour: zoned.getHours(),
    minute: zoned.getMinutes(),
    second: zoned.getSeconds(),
  };
}

function isKnownZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

export const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
