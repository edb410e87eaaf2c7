import { describe, expect, it } from 'vitest';
import { conversationSettings, durationMs, endOfQuiet, isIsoDuration, isQuiet, participantTimeZone } from '../../src/conversation/index.js';

const overnight = { start: '21:00', end: '08:00' };
const daytime = { start: '12:00', end: '13:30' };

describe('quiet hours', () => {
  it.each([
    ['2026-03-03T02:59:00Z', 'America/Chicago', overnight, false], // 20:59 local
    ['2026-03-03T03:00:00Z', 'America/Chicago', overnight, true], // 21:00 local
    ['2026-03-03T06:00:00Z', 'America/Chicago', overnight, true], // 00:00 local, across midnight
    ['2026-03-03T13:59:00Z', 'America/Chicago', overnight, true], // 07:59 local
    ['2026-03-03T14:00:00Z', 'America/Chicago', overnight, false], // 08:00 local
    ['2026-03-03T12:30:00Z', 'Europe/Paris', daytime, false], // 13:30 Paris is the end, exclusive
    ['2026-03-03T11:00:00Z', 'Europe/Paris', daytime, true],
    ['2026-03-03T12:31:00Z', 'Europe/Paris', daytime, false],
  ] as const)('when it is %s in %s with quiet hours %j, then quiet is %s', (at, zone, window, quiet) => {
    expect(isQuiet(new Date(at), zone, window)).toBe(quiet);
  });

  it.each([
    ['2026-03-03T04:30:00Z', 'America/Chicago', '2026-03-03T14:00:00.000Z'], // 22:30 → 08:00 next morning
    ['2026-03-03T10:00:00Z', 'America/Chicago', '2026-03-03T14:00:00.000Z'], // 04:00 → 08:00 same day
    ['2026-03-03T15:00:00Z', 'America/Chicago', '2026-03-03T15:00:00.000Z'], // not quiet: unchanged
    ['2026-03-08T07:30:00Z', 'America/Chicago', '2026-03-08T13:00:00.000Z'], // DST starts that night: 08:00 CDT
    ['2026-07-01T21:00:00Z', 'Asia/Kolkata', '2026-07-02T02:30:00.000Z'], // 02:30 IST → 08:00 IST
  ] as const)('when an unsolicited text is due at %s in %s, then it goes at %s', (at, zone, expected) => {
    expect(endOfQuiet(new Date(at), zone, overnight).toISOString()).toBe(expected);
  });

  it('when no quiet hours are set, then every time is allowed', () => {
    expect(endOfQuiet(new Date('2026-03-03T04:30:00Z'), 'UTC', null).toISOString()).toBe('2026-03-03T04:30:00.000Z');
  });
});

describe('participant time zone', () => {
  const settings = conversationSettings({ timeZone: 'Europe/London', timeZoneField: 'tz' });
  it.each([
    [{ tz: 'America/Chicago' }, 'America/Chicago'],
    [{ tz: ' Asia/Tokyo ' }, 'Asia/Tokyo'],
    [{ tz: 'Mars/Olympus' }, 'Europe/London'],
    [{ tz: '' }, 'Europe/London'],
    [{}, 'Europe/London'],
  ])('when the record holds %j, then the zone is %s', (record, zone) => {
    expect(participantTimeZone(record, settings)).toBe(zone);
  });
});

describe('ISO durations', () => {
  it.each([
    ['PT4H', 4 * 3_600_000], ['P1D', 86_400_000], ['P1DT12H', 36 * 3_600_000], ['PT90M', 90 * 60_000],
    ['P1W', 7 * 86_400_000], ['PT30S', 30_000],
  ] as const)('when the setting is %s, then it lasts %d ms', (text, ms) => {
    expect(durationMs(text)).toBe(ms);
  });

  it.each(['', 'P', 'PT', '4H', 'P1H', 'PT-1H', 'P1.5D'])('when the setting is %j, then it is not a duration', (text) => {
    expect(isIsoDuration(text)).toBe(false);
  });
});
