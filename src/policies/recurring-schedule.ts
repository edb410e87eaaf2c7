/**
 * Daily diaries and experience sampling: when each occurrence of a recurring invitation is due, as a pure
 * function of the schedule, the participant's start date and zone, quiet hours and a seed. Every day, every
 * N days or chosen weekdays; at a fixed local time or at a random minute of a window; for N occurrences (or
 * until the caller's logic says stop). The random minute comes from the seed and the occurrence's index
 * alone, so the same plan gives the same times after a restart, on another machine, in a test
 * (decision 0057). Nothing here reads the clock.
 */
import { TZDate } from '@date-fns/tz';
import { WEEKDAYS } from '../config/project-schema.js';
import { addDuration } from '../conversation/duration.js';
import { endOfQuiet, isQuietMinute, minutesOf } from '../conversation/quiet-hours.js';

export { WEEKDAYS };
export type Weekday = (typeof WEEKDAYS)[number];

export interface RecurringSchedule {
  /** Every `days` days from the start date, or on these weekdays. */
  every: { days: number } | { weekdays: readonly Weekday[] };
  /** A fixed local time `HH:MM`, or a random minute of the window `[from, to)` (experience sampling). */
  time: { at: string } | { from: string; to: string };
  /** Days from the start date to the first day that may hold an occurrence (0: the start date itself). */
  startOffsetDays: number;
  /** How many occurrences; absent, the schedule runs until the caller stops it (at most MAX_OCCURRENCES). */
  count?: number;
  /** How long an occurrence stays open (ISO 8601 duration); never past the next occurrence. */
  expireAfter: string;
}

export interface SchedulePlan {
  schedule: RecurringSchedule;
  /** The record's start date (`YYYY-MM-DD`), e.g. its enrolment date field. */
  startDate: string;
  /** The participant's IANA zone: times are local to it, across daylight-saving changes. */
  timeZone: string;
  quietHours: { start: string; end: string } | null;
  /** Anything stable for the participant and schedule (project, record, instrument). */
  seed: string;
}

export interface Occurrence {
  /** 0-based. */
  index: number;
  /** The local calendar day it belongs to (`YYYY-MM-DD`). */
  day: string;
  at: Date;
  /** After this it is missed: not sent, and its conversation (if any) expires. */
  expiresAt: Date;
}

/** A schedule without a count stops here, so no plan runs forever. */
export const MAX_OCCURRENCES = 1000;

const DAY_MS = 86_400_000;

/** The `index`-th occurrence, or undefined past the count. */
export function occurrence(plan: SchedulePlan, index: number): Occurrence | undefined {
  const at = occurrenceTime(plan, index);
  if (at === undefined) return undefined;
  const next = occurrenceTime(plan, index + 1);
  const open = addDuration(at.at, plan.schedule.expireAfter);
  const expiresAt = next === undefined || open.getTime() < next.at.getTime() ? open : next.at;
  return { index, day: at.day, at: at.at, expiresAt };
}

/**
 * The first occurrence still open at `now` (due now or later): occurrences that expired while nothing
 * ran (the service was down) are missed, never sent late.
 */
export function nextOccurrence(plan: SchedulePlan, now: Date): Occurrence | undefined {
  for (let index = 0; index < limit(plan); index += 1) {
    const candidate = occurrence(plan, index);
    if (candidate === undefined) return undefined;
    if (candidate.expiresAt.getTime() > now.getTime()) return candidate;
  }
  return undefined;
}

function limit(plan: SchedulePlan): number {
  const { every } = plan.schedule;
  if ('weekdays' in every && every.weekdays.length === 0) return 0;
  return Math.min(plan.schedule.count ?? MAX_OCCURRENCES, MAX_OCCURRENCES);
}

function occurrenceTime(plan: SchedulePlan, index: number): { day: string; at: Date } | undefined {
  if (index < 0 || index >= limit(plan)) return undefined;
  const day = occurrenceDay(plan, index);
  return { day, at: timeOnDay(plan, day, index) };
}

/** The calendar day of the `index`-th occurrence (calendar arithmetic in UTC: no daylight-saving there). */
function occurrenceDay(plan: SchedulePlan, index: number): string {
  const first = Date.parse(`${plan.startDate}T00:00:00Z`) + plan.schedule.startOffsetDays * DAY_MS;
  const { every } = plan.schedule;
  if ('days' in every) return isoDay(first + index * every.days * DAY_MS);
  // Days after `first` that fall on a wanted weekday, within one week, in order.
  const firstWeekday = new Date(first).getUTCDay();
  const offsets = [...new Set(every.weekdays.map((day) => (WEEKDAYS.indexOf(day) - firstWeekday + 7) % 7))].sort((a, b) => a - b);
  const week = Math.floor(index / offsets.length);
  return isoDay(first + (week * 7 + offsets[index % offsets.length]!) * DAY_MS);
}

/** The moment on `day`: the fixed time, or the seeded minute among the window's minutes outside quiet hours. */
function timeOnDay(plan: SchedulePlan, day: string, index: number): Date {
  const { time } = plan.schedule;
  const from = minutesOf('at' in time ? time.at : time.from);
  const to = 'at' in time ? from + 1 : minutesOf(time.to);
  const minutes: number[] = [];
  for (let minute = from; minute < to; minute += 1) {
    if (!quietMinute(plan.quietHours, minute)) minutes.push(minute);
  }
  // A window wholly inside quiet hours (or a fixed time inside them): the end of quiet hours instead.
  if (minutes.length === 0) return endOfQuiet(localTime(plan, day, from), plan.timeZone, plan.quietHours);
  const pick = minutes.length === 1 ? minutes[0]! : minutes[Math.floor(seededFraction(`${plan.seed}#${index}`) * minutes.length)]!;
  return endOfQuiet(localTime(plan, day, pick), plan.timeZone, plan.quietHours);
}

/** Quiet hours by local minute of the day (the instant is checked again once chosen, for daylight-saving gaps). */
function quietMinute(quiet: SchedulePlan['quietHours'], minute: number): boolean {
  return quiet !== null && isQuietMinute(minute, quiet);
}

/** The instant of a local wall-clock minute; a minute skipped by a daylight-saving jump moves forward with it. */
function localTime(plan: SchedulePlan, day: string, minute: number): Date {
  const [year = 0, month = 1, date = 1] = day.split('-').map(Number);
  return new Date(new TZDate(year, month - 1, date, Math.floor(minute / 60), minute % 60, plan.timeZone).getTime());
}

const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** A fraction in [0, 1) from a text: FNV-1a to 32 bits, then one round of mulberry32. */
export function seededFraction(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  let t = (hash + 0x6d2b79f5) | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
}
