/**
 * The parameters of a `content=record` export, read and checked as REDCap checks them: a bad value is
 * an error naming the parameter, and nothing is exported.
 */
import { listParam, type DecodedForm } from '../../adapters/redcap/form.js';
import { compileFilter, type RowFilter } from './filter-logic.js';
import type { EmulatedProject } from './project.js';

export interface ExportQuery {
  records: readonly string[];
  fields: readonly string[];
  forms: readonly string[];
  events: readonly string[];
  filter?: RowFilter;
  /** `rawOrLabel=label`: choice labels instead of codes. */
  labels: boolean;
  /** `rawOrLabelHeaders=label` (CSV only): field labels as column headers. */
  labelHeaders: boolean;
  /** `exportCheckboxLabel=true` with labels: a checked option's label, blank when unchecked. */
  checkboxLabel: boolean;
  /** `exportSurveyFields=true`: `redcap_survey_identifier` and each form's `{form}_timestamp`. */
  surveyFields: boolean;
  /** `dateRangeBegin`/`dateRangeEnd`: records created or modified after / before (server time, UTC here). */
  modifiedAfter?: Date;
  modifiedBefore?: Date;
}

export type QueryResult = { ok: true; query: ExportQuery } | { ok: false; message: string };

export function readExportQuery(project: EmulatedProject, form: DecodedForm, now: Date): QueryResult {
  const query: ExportQuery = {
    records: listParam(form, 'records'),
    fields: listParam(form, 'fields'),
    forms: listParam(form, 'forms'),
    events: listParam(form, 'events'),
    labels: false, labelHeaders: false, checkboxLabel: false, surveyFields: false,
  };
  const invalid = invalidNames(project, query);
  if (invalid !== undefined) return { ok: false, message: invalid };
  const choices = readChoices(form);
  if (!choices.ok) return choices;
  const range = readRange(form);
  if (!range.ok) return range;
  const logic = (form.values.get('filterLogic') ?? '').trim();
  const filter = logic === '' ? undefined : compileFilter(project, logic, now);
  if (filter !== undefined && !filter.ok) return filter;
  return { ok: true, query: { ...query, ...choices.value, ...range.value, ...(filter === undefined ? {} : { filter: filter.filter }) } };
}

/** REDCap's "not valid" error for names the project does not have, first bad parameter first. */
function invalidNames(project: EmulatedProject, query: ExportQuery): string | undefined {
  const eventNames = new Set(project.events.map((e) => e.unique_event_name));
  const formNames = new Set(project.survey.instruments.map((i) => i.name));
  const checks: [string, readonly string[], (name: string) => boolean][] = [
    ['fields', query.fields, (name) => project.fields.has(name) && project.fields.get(name)?.type !== 'descriptive'],
    ['forms', query.forms, (name) => formNames.has(name)],
    ['events', query.events, (name) => eventNames.has(name)],
  ];
  for (const [parameter, names, valid] of checks) {
    const bad = names.filter((name) => !valid(name));
    if (bad.length > 0) return `The following values in the parameter ${parameter} are not valid: ${bad.map((v) => `'${v}'`).join(', ')}`;
  }
  return undefined;
}

type Read<T> = { ok: true; value: T } | { ok: false; message: string };

/** A parameter that takes one of a few words; absent, the first is the default. */
function oneOf<T extends string>(form: DecodedForm, name: string, allowed: readonly T[]): Read<T> {
  const value = form.values.get(name) ?? allowed[0]!;
  return (allowed as readonly string[]).includes(value)
    ? { ok: true, value: value as T }
    : { ok: false, message: `The value of the parameter "${name}" is not valid: use ${allowed.map((a) => `"${a}"`).join(' or ')}` };
}

function readChoices(form: DecodedForm): Read<Pick<ExportQuery, 'labels' | 'labelHeaders' | 'checkboxLabel' | 'surveyFields'>> {
  const rawOrLabel = oneOf(form, 'rawOrLabel', ['raw', 'label']);
  const headers = oneOf(form, 'rawOrLabelHeaders', ['raw', 'label']);
  const checkbox = oneOf(form, 'exportCheckboxLabel', ['false', 'true']);
  const survey = oneOf(form, 'exportSurveyFields', ['false', 'true']);
  for (const read of [rawOrLabel, headers, checkbox, survey]) if (!read.ok) return read;
  return {
    ok: true,
    value: {
      labels: rawOrLabel.ok && rawOrLabel.value === 'label',
      labelHeaders: headers.ok && headers.value === 'label',
      checkboxLabel: checkbox.ok && checkbox.value === 'true',
      surveyFields: survey.ok && survey.value === 'true',
    },
  };
}

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2})(?::(\d{2}))?)?$/;

function readRange(form: DecodedForm): Read<Pick<ExportQuery, 'modifiedAfter' | 'modifiedBefore'>> {
  const value: Pick<ExportQuery, 'modifiedAfter' | 'modifiedBefore'> = {};
  for (const [name, key] of [['dateRangeBegin', 'modifiedAfter'], ['dateRangeEnd', 'modifiedBefore']] as const) {
    const text = (form.values.get(name) ?? '').trim();
    if (text === '') continue;
    const at = parseTimestamp(text);
    if (at === undefined) return { ok: false, message: `The value of the parameter "${name}" is not a valid timestamp: use YYYY-MM-DD HH:MM:SS` };
    value[key] = at;
  }
  return { ok: true, value };
}

function parseTimestamp(text: string): Date | undefined {
  const match = TIMESTAMP.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  const at = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  const real = at.getUTCMonth() === month - 1 && at.getUTCDate() === day && hour < 24 && minute < 60 && second < 60;
  return real ? at : undefined;
}
