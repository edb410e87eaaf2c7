/**
 * ISO-8601 durations as project settings write them (`PT4H`, `P1D`, `P1DT12H`, `PT90M`), turned into
 * milliseconds. Days are 24 hours: reminders count elapsed time, not calendar days.
 */
const ISO_DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

const MS = { week: 604_800_000, day: 86_400_000, hour: 3_600_000, minute: 60_000, second: 1000 };

export function isIsoDuration(text: string): boolean {
  return ISO_DURATION.test(text) && text !== 'P' && !text.endsWith('T');
}

export function durationMs(text: string): number {
  const match = ISO_DURATION.exec(text);
  if (match === null || !isIsoDuration(text)) throw new RangeError(`not an ISO-8601 duration: ${text}`);
  const [, w, d, h, m, s] = match.map((part) => Number(part ?? 0));
  return (w ?? 0) * MS.week + (d ?? 0) * MS.day + (h ?? 0) * MS.hour + (m ?? 0) * MS.minute + (s ?? 0) * MS.second;
}

export function addDuration(at: Date, duration: string): Date {
  return new Date(at.getTime() + durationMs(duration));
}
