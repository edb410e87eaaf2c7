/**
 * Which diary occurrence a record calls for (decision 0058): the project's `diaries` settings and the record
 * as REDCap holds it in, one invitation out. Each occurrence is an invitation row whose repeat instance is
 * the occurrence's number (index + 1), so planning the same occurrence twice is one row (the table's
 * unique key), and a restart recomputes the same times from the seed.
 */
import type { ProjectConfig } from '../config/projects.js';
import type { DiarySettings } from '../config/project-schema.js';
import { isIanaTimeZone } from '../conversation/time-zone.js';
import { fieldMap } from '../dictionary/index.js';
import type { Survey } from '../dictionary/model.js';
import { fieldReferences, parseLogic } from '../logic/index.js';
import type { NewInvitation } from '../ports/storage/redcap-sync-store.js';
import { baseRow, conditionHolds, type RecordRows } from './invitation-rules.js';
import { nextOccurrence, occurrence, type Occurrence, type SchedulePlan } from './recurring-schedule.js';

/** The next occurrence still open at `now` of each diary the record is on; none once `until` holds. */
export function diaryInvitations(project: ProjectConfig, survey: Survey, record: RecordRows, now: Date): NewInvitation[] {
  return (project.diaries ?? []).flatMap((diary) => {
    const plan = diaryPlan(project, survey, diary, record, now);
    const next = plan === undefined ? undefined : nextOccurrence(plan, now);
    return next === undefined ? [] : [toInvitation(project, diary, record, next, now)];
  });
}

/** A due diary invitation: its occurrence (to tell whether it was missed) and the one after it, to plan now. */
export function diaryFollowUp(
  project: ProjectConfig, survey: Survey, record: RecordRows, invitation: Pick<NewInvitation, 'instrument' | 'event' | 'repeatInstance'>, now: Date,
): { diary: DiarySettings; current: Occurrence | undefined; next: NewInvitation | undefined } | undefined {
  const diary = diaryOf(project, invitation);
  if (diary === undefined) return undefined;
  const plan = diaryPlan(project, survey, diary, record, now);
  if (plan === undefined) return { diary, current: undefined, next: undefined };
  const current = occurrence(plan, invitation.repeatInstance - 1);
  // After this one, or, when it was missed, the next still open now.
  const following = current !== undefined && current.expiresAt.getTime() > now.getTime() ? occurrence(plan, current.index + 1) : nextOccurrence(plan, now);
  return { diary, current, next: following === undefined ? undefined : toInvitation(project, diary, record, following, now) };
}

/**
 * What the diary sweep asks REDCap for (decision 0058): the records that could be on a diary (a start
 * date is not blank), then only the fields the plan reads: the record id, the start dates, the
 * participant's zone and what `until` names. Undefined when the project has no diary.
 */
export function diaryExport(project: ProjectConfig, survey: Survey): { filterLogic: string; candidateFields: string[]; fields: string[] } | undefined {
  const diaries = project.diaries ?? [];
  if (diaries.length === 0) return undefined;
  const starts = unique(diaries.map((diary) => diary.startField));
  // Smart variables parse as fields too; REDCap refuses an export that names a field the project lacks.
  const known = fieldMap(survey);
  const untilFields = diaries.flatMap((diary) => (diary.until === undefined ? [] : referencedFields(diary.until))).filter((name) => known.has(name));
  return {
    filterLogic: starts.map((field) => `[${field}] <> ""`).join(' or '),
    candidateFields: unique([survey.recordIdField, ...starts]),
    fields: unique([survey.recordIdField, ...starts, ...(project.timeZoneField === undefined ? [] : [project.timeZoneField]), ...untilFields]),
  };
}

function referencedFields(logic: string): string[] {
  const parsed = parseLogic(logic);
  return parsed.ok ? fieldReferences(parsed.expr).map((ref) => ref.name) : [];
}

const unique = (names: readonly string[]): string[] => [...new Set(names)];

/** The diary an invitation row is an occurrence of: diaries number their rows from 1, other invitations use 0. */
export function diaryOf(project: ProjectConfig, invitation: Pick<NewInvitation, 'instrument' | 'event' | 'repeatInstance'>): DiarySettings | undefined {
  if (invitation.repeatInstance < 1) return undefined;
  return project.diaries?.find((d) => d.instrument === invitation.instrument && (d.event ?? '') === invitation.event);
}

/** The schedule for this record, or undefined when it has no start date yet or `until` holds. */
function diaryPlan(project: ProjectConfig, survey: Survey, diary: DiarySettings, record: RecordRows, now: Date): SchedulePlan | undefined {
  const start = startDate(record, diary.startField);
  if (start === undefined) return undefined;
  const row = baseRow(record, diary.event ?? null);
  if (diary.until !== undefined) {
    const ctx = { survey, record: row, rows: record.rows, now, timeZone: project.timeZone, recordId: record.recordId, ...(diary.event === undefined ? {} : { event: diary.event }) };
    if (conditionHolds(survey, diary.until, ctx)) return undefined;
  }
  const zone = project.timeZoneField === undefined ? '' : (row[project.timeZoneField] ?? '').trim();
  return {
    schedule: {
      every: typeof diary.every === 'number' ? { days: diary.every } : { weekdays: diary.every },
      time: typeof diary.at === 'string' ? { at: diary.at } : diary.at,
      startOffsetDays: diary.startOffsetDays,
      ...(diary.count === undefined ? {} : { count: diary.count }),
      expireAfter: diary.expireAfter,
    },
    startDate: start,
    timeZone: zone !== '' && isIanaTimeZone(zone) ? zone : project.timeZone,
    quietHours: project.quietHours ?? null,
    seed: `${project.id}/${record.recordId}/${diary.instrument}/${diary.event ?? ''}`,
  };
}

/** The first `YYYY-MM-DD` the record holds in the start field, on any of its non-repeating rows. */
function startDate(record: RecordRows, field: string): string | undefined {
  const value = record.rows.map((row) => (row.redcap_repeat_instrument ? '' : row[field] ?? '')).find((text) => /^\d{4}-\d{2}-\d{2}/.test(text));
  return value?.slice(0, 10);
}

function toInvitation(project: ProjectConfig, diary: DiarySettings, record: RecordRows, next: Occurrence, now: Date): NewInvitation {
  return {
    project: project.id, recordId: record.recordId, instrument: diary.instrument, event: diary.event ?? '',
    repeatInstance: next.index + 1, mode: 'sms', sendAt: next.at.toISOString(), createdAt: now.toISOString(),
  };
}
