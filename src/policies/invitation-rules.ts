/**
 * Which invitations a record calls for, decided from the record as REDCap holds it (re-read, never the
 * DET's own data): the project's invitation rules, and the survey queue after an instrument completes.
 * Pure: rows, settings and a time in; invitations to schedule out.
 */
import { TZDate } from '@date-fns/tz';
import type { FlatRecord } from '../ports/redcap/index.js';
import type { NewInvitation } from '../ports/storage/redcap-sync-store.js';
import type { ProjectConfig } from '../config/projects.js';
import { addDuration } from '../conversation/index.js';
import type { RecordData, Survey } from '../dictionary/model.js';
import { compileLogic, type EvalContext } from '../logic/index.js';
import { toBoolean } from '../logic/values.js';

/** One record as exported: one row per event and repeating instance. */
export interface RecordRows {
  recordId: string;
  rows: readonly FlatRecord[];
}

type Rule = ProjectConfig['invitationRules'][number];
type QueueEntry = ProjectConfig['surveyQueue'][number];

/** The record's non-repeating row for an event (the only row of a classic project). */
export function baseRow(record: RecordRows, event: string | null): RecordData {
  const row = record.rows.find((r) => !r.redcap_repeat_instrument && (event === null || r.redcap_event_name === event));
  return { ...(row ?? {}) };
}

function context(survey: Survey, record: RecordRows, event: string | null, now: Date, timeZone: string): EvalContext {
  return {
    survey, record: baseRow(record, event), rows: record.rows, now, timeZone, recordId: record.recordId,
    ...(event === null ? {} : { event }),
  };
}

/** A condition in REDCap logic; none means always. Logic that does not parse never invites anyone. */
export function conditionHolds(survey: Survey, when: string | undefined, ctx: EvalContext): boolean {
  if (when === undefined) return true;
  const compiled = compileLogic(when, survey);
  return compiled.ok && toBoolean(compiled.evaluate(ctx));
}

/** After the delay, at the next `at` o'clock in the project's zone when one is set. */
export function sendTime(now: Date, rule: { delay?: string | undefined; at?: string | undefined }, timeZone: string): Date {
  const earliest = rule.delay === undefined ? now : addDuration(now, rule.delay);
  if (rule.at === undefined) return earliest;
  const [hours = 0, minutes = 0] = rule.at.split(':').map(Number);
  const local = new TZDate(earliest.getTime(), timeZone);
  const candidate = new TZDate(local.getFullYear(), local.getMonth(), local.getDate(), hours, minutes, timeZone);
  if (candidate.getTime() < earliest.getTime()) candidate.setDate(candidate.getDate() + 1);
  return new Date(candidate.getTime());
}

/** Completed on its (non-repeating) row; a repeating instrument can always take one more instance. */
export function isComplete(record: RecordRows, survey: Survey, instrument: string, event: string | null): boolean {
  const complete = survey.instruments.find((i) => i.name === instrument)?.completeField ?? `${instrument}_complete`;
  return record.rows.some((row) => !row.redcap_repeat_instrument && (event === null || row.redcap_event_name === event) && row[complete] === '2');
}

/** The rules whose condition holds for an instrument not yet completed. */
export function ruleInvitations(
  project: ProjectConfig, survey: Survey, record: RecordRows, detEvent: string | null, now: Date,
): NewInvitation[] {
  return project.invitationRules.flatMap((rule: Rule) => {
    const event = rule.event ?? detEvent;
    if (isComplete(record, survey, rule.instrument, event)) return [];
    if (!conditionHolds(survey, rule.when, context(survey, record, event, now, project.timeZone))) return [];
    return [invitation(project.id, record.recordId, rule.instrument, event, rule.mode ?? 'sms', sendTime(now, rule, project.timeZone), now)];
  });
}

/**
 * What follows a completed instrument: its auto-continue (the next instrument, at once), else the survey
 * queue's first other entry not yet completed whose condition holds, started at once (auto-start) or
 * offered ("reply to begin").
 */
export function queueInvitation(
  project: ProjectConfig, survey: Survey, record: RecordRows, completed: string, completedEvent: string | null, now: Date,
): NewInvitation | undefined {
  const continued = autoContinuation(project, survey, record, completed, completedEvent);
  if (continued !== undefined) return invitation(project.id, record.recordId, continued, completedEvent, 'sms', now, now);
  const next = project.surveyQueue.find((entry: QueueEntry) => {
    const event = entry.event ?? completedEvent;
    return entry.instrument !== completed && !isComplete(record, survey, entry.instrument, event)
      && conditionHolds(survey, entry.when, context(survey, record, event, now, project.timeZone));
  });
  if (next === undefined) return undefined;
  return invitation(project.id, record.recordId, next.instrument, next.event ?? completedEvent, next.autoStart === true ? 'sms' : 'offer', now, now);
}

/** REDCap's auto-continue: the instrument after `completed`, in dictionary order, unless it is complete. */
function autoContinuation(project: ProjectConfig, survey: Survey, record: RecordRows, completed: string, event: string | null): string | undefined {
  if (project.surveys[completed]?.autoContinue !== true) return undefined;
  const order = survey.instruments.map((instrument) => instrument.name);
  const next = order[order.indexOf(completed) + 1];
  return next === undefined || isComplete(record, survey, next, event) ? undefined : next;
}

/** Whether anything follows a completed instrument: the survey queue, or an instrument's auto-continue. */
export function hasFollowUp(project: ProjectConfig): boolean {
  return project.surveyQueue.length > 0 || Object.values(project.surveys).some((settings) => settings.autoContinue === true);
}

function invitation(
  project: string, recordId: string, instrument: string, event: string | null, mode: NewInvitation['mode'], sendAt: Date, now: Date,
): NewInvitation {
  return {
    project, recordId, instrument, event: event ?? '', repeatInstance: 0, mode,
    sendAt: sendAt.toISOString(), createdAt: now.toISOString(),
  };
}
