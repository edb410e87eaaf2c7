import { TZDate } from '@date-fns/tz';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { isQuiet } from '../../src/conversation/quiet-hours.js';
import {
  MAX_OCCURRENCES, WEEKDAYS, nextOccurrence, occurrence, type RecurringSchedule, type SchedulePlan,
} from '../../src/policies/recurring-schedule.js';

const daily: RecurringSchedule = { every: { days: 1 }, time: { at: '20:00' }, startOffsetDays: 0, count: 14, expireAfter: 'PT4H' };

function plan(schedule: Partial<RecurringSchedule> = {}, rest: Partial<SchedulePlan> = {}): SchedulePlan {
  return {
    schedule: { ...daily, ...schedule }, startDate: '2026-03-05', timeZone: 'America/New_York', quietHours: null, seed: 'study/7/diary', ...rest,
  };
}

const times = (p: SchedulePlan, n: number): string[] =>
  Array.from({ length: n }, (_, i) => occurrence(p, i)?.at.toISOString() ?? 'none');

const localClock = (at: Date, zone: string): string => {
  const local = new TZDate(at.getTime(), zone);
  return `${String(local.getHours()).padStart(2, '0')}:${String(local.getMinutes()).padStart(2, '0')}`;
};

describe('when each occurrence of a recurring invitation is due', () => {
  it.each([
    ['every day at 20:00 in New York, across the spring daylight-saving change (8 March 2026)', plan(), 5,
      ['2026-03-06T01:00:00.000Z', '2026-03-07T01:00:00.000Z', '2026-03-08T01:00:00.000Z', '2026-03-09T00:00:00.000Z', '2026-03-10T00:00:00.000Z']],
    ['every 3 days, starting a day after the start date', plan({ every: { days: 3 }, startOffsetDays: 1 }), 3,
      ['2026-03-07T01:00:00.000Z', '2026-03-10T00:00:00.000Z', '2026-03-13T00:00:00.000Z']],
    ['Mondays, Wednesdays and Fridays (5 March 2026 is a Thursday)', plan({ every: { weekdays: ['mon', 'wed', 'fri'] } }), 4,
      ['2026-03-07T01:00:00.000Z', '2026-03-10T00:00:00.000Z', '2026-03-12T00:00:00.000Z', '2026-03-14T00:00:00.000Z']],
    ['every day at 09:00 in London, across the autumn change (25 October 2026)', plan({ time: { at: '09:00' } }, { startDate: '2026-10-24', timeZone: 'Europe/London' }), 3,
      ['2026-10-24T08:00:00.000Z', '2026-10-25T09:00:00.000Z', '2026-10-26T09:00:00.000Z']],
    ['a fixed time inside quiet hours: the end of quiet hours instead', plan({ time: { at: '22:30' } }, { quietHours: { start: '21:00', end: '08:00' } }), 2,
      ['2026-03-06T13:00:00.000Z', '2026-03-07T13:00:00.000Z']],
    ['three occurrences and no more', plan({ count: 3 }), 4,
      ['2026-03-06T01:00:00.000Z', '2026-03-07T01:00:00.000Z', '2026-03-08T01:00:00.000Z', 'none']],
  ])('%s, then they are at the right instants', (_, p, n, expected) => {
    expect(times(p, n)).toEqual(expected);
  });

  it('when the window is 09:00–21:00 (experience sampling), then each day has its own seeded minute in the window, the same every time', () => {
    const sampling = plan({ time: { from: '09:00', to: '21:00' } });
    const first = times(sampling, 7);
    expect(times(sampling, 7)).toEqual(first);
    expect(new Set(first.map((at) => localClock(new Date(at), 'America/New_York'))).size).toBeGreaterThan(1);
    expect(times(plan({ time: { from: '09:00', to: '21:00' } }, { seed: 'study/8/diary' }), 7)).not.toEqual(first);
  });

  it.each([
    ['an occurrence stays open for expireAfter', plan(), 0, '2026-03-06T05:00:00.000Z'],
    ['an occurrence closes when the next one comes, at the latest', plan({ expireAfter: 'P3D' }), 0, '2026-03-07T01:00:00.000Z'],
    ['the last occurrence stays open for expireAfter (elapsed time, as every expiry)', plan({ count: 1, expireAfter: 'P3D' }), 0, '2026-03-09T01:00:00.000Z'],
  ])('when %s, then it expires at the right instant', (_, p, index, expected) => {
    expect(occurrence(p, index)?.expiresAt.toISOString()).toBe(expected);
  });

  it.each([
    ['before the first', '2026-03-01T00:00:00Z', 0],
    ['during the first, not yet expired (sent late, not missed)', '2026-03-06T03:00:00Z', 0],
    ['after the first expired: it is missed', '2026-03-06T05:00:00Z', 1],
    ['after a week down', '2026-03-12T12:00:00Z', 7],
    ['after the last', '2026-04-01T00:00:00Z', undefined],
  ])('when planning the next occurrence %s, then the right one comes', (_, now, expected) => {
    expect(nextOccurrence(plan(), new Date(now))?.index).toBe(expected);
  });

  it('when a schedule has no count, then it stops at the cap instead of running forever', () => {
    const { count: _count, ...uncounted } = daily;
    const open = { ...plan(), schedule: uncounted };
    expect(occurrence(open, MAX_OCCURRENCES - 1)).toBeDefined();
    expect(occurrence(open, MAX_OCCURRENCES)).toBeUndefined();
  });

  it('when no weekday is chosen, then there is no occurrence', () => {
    expect(occurrence(plan({ every: { weekdays: [] } }), 0)).toBeUndefined();
  });
});

const zones = ['America/New_York', 'Europe/London', 'Australia/Sydney', 'Asia/Kolkata', 'UTC'];
const clock = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
const anyPlan = fc.record({
  every: fc.oneof(
    fc.integer({ min: 1, max: 9 }).map((days) => ({ days })),
    fc.uniqueArray(fc.constantFrom(...WEEKDAYS), { minLength: 1, maxLength: 7 }).map((weekdays) => ({ weekdays })),
  ),
  time: fc.oneof(
    clock.map((at) => ({ at })),
    fc.tuple(fc.integer({ min: 0, max: 1438 }), fc.integer({ min: 1, max: 600 })).map(([from, length]) => ({
      from: `${String(Math.floor(from / 60)).padStart(2, '0')}:${String(from % 60).padStart(2, '0')}`,
      to: (() => { const to = Math.min(from + length, 1439); return `${String(Math.floor(to / 60)).padStart(2, '0')}:${String(to % 60).padStart(2, '0')}`; })(),
    })),
  ),
  startOffsetDays: fc.integer({ min: 0, max: 3 }),
  count: fc.integer({ min: 1, max: 40 }),
  expireAfter: fc.constantFrom('PT30M', 'PT4H', 'P1D', 'P3D'),
}).chain((schedule) => fc.record({
  schedule: fc.constant(schedule as RecurringSchedule),
  startDate: fc.date({ min: new Date('2025-01-01'), max: new Date('2027-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  timeZone: fc.constantFrom(...zones),
  quietHours: fc.option(fc.tuple(clock, clock).map(([start, end]) => ({ start, end })), { nil: null }),
  seed: fc.string(),
}));

const all = (p: SchedulePlan) => Array.from({ length: p.schedule.count ?? 0 }, (_, i) => occurrence(p, i)!);

describe('properties of every schedule', () => {
  test.prop([anyPlan], { numRuns: 60 })('occurrences are in order, each closes after it opens and no later than the next opens', (p) => {
    const list = all(p);
    list.forEach((o, i) => {
      expect(o.expiresAt.getTime()).toBeGreaterThan(o.at.getTime());
      const next = list[i + 1];
      if (next !== undefined) {
        expect(next.at.getTime()).toBeGreaterThan(o.at.getTime());
        expect(o.expiresAt.getTime()).toBeLessThanOrEqual(next.at.getTime());
      }
    });
  });

  test.prop([anyPlan], { numRuns: 60 })('no occurrence is in quiet hours', (p) => {
    for (const o of all(p)) if (p.quietHours !== null) expect(isQuiet(o.at, p.timeZone, p.quietHours)).toBe(false);
  });

  test.prop([anyPlan], { numRuns: 60 })('the count is respected exactly', (p) => {
    const count = p.schedule.count ?? 0;
    expect(occurrence(p, count - 1)).toBeDefined();
    expect(occurrence(p, count)).toBeUndefined();
  });

  test.prop([anyPlan], { numRuns: 40 })('the same plan gives the same times (a restart changes nothing)', (p) => {
    expect(all(structuredClone(p)).map((o) => o.at.getTime())).toEqual(all(p).map((o) => o.at.getTime()));
  });

  test.prop([anyPlan.filter((p) => p.quietHours === null)], { numRuns: 60 })(
    'without quiet hours, each occurrence is on its local day at the local time asked for (daylight saving included), or in the window',
    (p) => {
      for (const o of all(p)) {
        const local = localClock(o.at, p.timeZone);
        const { time } = p.schedule;
        const localDay = new TZDate(o.at.getTime(), p.timeZone);
        const inGap = localDay.getDate() !== Number(o.day.slice(8)); // a minute skipped by a daylight-saving jump moves on
        if (inGap) continue;
        if ('at' in time) {
          if (local !== time.at) expect(isDaylightSavingGap(o.day, time.at, p.timeZone)).toBe(true);
        } else if (!isDaylightSavingGap(o.day, local, p.timeZone)) {
          // A minute drawn inside a daylight-saving gap moves on by the jump (02:53 for 01:53 in London on 29 March).
          const movedOn = minutesOf(time.from, time.to).some((minute) => isDaylightSavingGap(o.day, minute, p.timeZone));
          expect(local >= time.from && (local < time.to || movedOn)).toBe(true);
        }
      }
    },
  );
});

/** True when the local minute does not exist that day (clocks jump over it). */
function isDaylightSavingGap(day: string, clockText: string, zone: string): boolean {
  const [y = 0, m = 1, d = 1] = day.split('-').map(Number);
  const [h = 0, min = 0] = clockText.split(':').map(Number);
  return localClock(new Date(new TZDate(y, m - 1, d, h, min, zone).getTime()), zone) !== clockText;
}

/** Every "HH:MM" from `from` up to, not including, `to`. */
function minutesOf(from: string, to: string): string[] {
  const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
  return Array.from({ length: Math.max(0, toMinutes(to) - toMinutes(from)) }, (_, i) => {
    const m = toMinutes(from) + i;
    return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  });
}
