/**
 * `content=record` export, flat: one row per stored row, system columns first, then the chosen data
 * columns in dictionary order; values are strings, except `redcap_repeat_instance`, which REDCap sends as
 * a number on repeating rows. `fields[]` and `forms[]` choose columns (together, their union),
 * `records[]`, `events[]`, `dateRangeBegin`/`dateRangeEnd` and `filterLogic` choose rows, and
 * `exportSurveyFields` adds `redcap_survey_identifier` and each form's `{form}_timestamp`.
 */
import { formStatusFieldName, instrumentLabel } from '../../dictionary/index.js';
import type { ExportQuery } from './export-query.js';
import { columnLabel, systemLabel, valueLabel } from './export-labels.js';
import type { StoredRow } from './record-store.js';
import { eventLabel, isDesignated, isRepeating, type EmulatedProject, type ExportColumn } from './project.js';

export interface ExportTable {
  /** Column names, and their headers under `rawOrLabelHeaders=label`. */
  columns: { name: string; label: string }[];
  rows: Record<string, string | number>[];
}

type Cell = (row: StoredRow) => string | number;

export function exportTable(project: EmulatedProject, query: ExportQuery): ExportTable {
  const columns = exportColumns(project, query);
  const all = project.records.list();
  const rows = all
    .filter((row) => query.records.length === 0 || query.records.includes(row.key.record))
    .filter((row) => query.events.length === 0 || query.events.includes(row.key.event))
    .filter((row) => inDateRange(project, row, query))
    .filter((row) => query.filter === undefined || query.filter(row, all.filter((other) => other.key.record === row.key.record)))
    .map((row) => Object.fromEntries(columns.map((column) => [column.name, column.cell(row)])));
  return { columns: columns.map(({ name, label }) => ({ name, label })), rows };
}

function inDateRange(project: EmulatedProject, row: StoredRow, query: ExportQuery): boolean {
  const at = project.records.modifiedAt(row.key.record)?.getTime() ?? 0;
  return (query.modifiedAfter === undefined || at > query.modifiedAfter.getTime())
    && (query.modifiedBefore === undefined || at < query.modifiedBefore.getTime());
}

interface OutputColumn { name: string; label: string; cell: Cell }

function exportColumns(project: EmulatedProject, query: ExportQuery): OutputColumn[] {
  const recordIdField = project.survey.recordIdField;
  const chosen = chosenFields(project, query);
  const system = (name: string, cell: Cell): OutputColumn => ({ name, label: systemLabel(name), cell });
  const out: OutputColumn[] = [];
  if (chosen === undefined || chosen.has(recordIdField)) {
    out.push({ name: recordIdField, label: columnLabel(project.fields.get(recordIdField)!, undefined), cell: (row) => row.key.record });
  }
  if (project.longitudinal) {
    out.push(system('redcap_event_name', (row) => (query.labels ? eventLabel(project, row.key.event) : row.key.event)));
  }
  if (project.repeating.length > 0) {
    out.push(system('redcap_repeat_instrument', (row) => (query.labels && row.key.repeatInstrument !== ''
      ? instrumentLabel(project.survey, row.key.repeatInstrument) : row.key.repeatInstrument)));
    out.push(system('redcap_repeat_instance', (row) => (row.key.instance === 0 ? '' : row.key.instance)));
  }
  if (query.surveyFields) out.push(system('redcap_survey_identifier', () => ''));
  let form: string | undefined;
  for (const [name, column] of project.columns) {
    if (name === recordIdField || (chosen !== undefined && !chosen.has(column.field.name))) continue;
    if (query.surveyFields && column.field.form !== form) {
      form = column.field.form;
      // Survey timestamps are set by REDCap when a participant submits a survey page; an API import sets none.
      out.push(system(`${form}_timestamp`, () => ''));
    }
    out.push({ name, label: columnLabel(column.field, column.checkboxCode), cell: dataCell(project, query, name, column) });
  }
  return out;
}

/** The fields `fields[]` and `forms[]` name together; undefined when neither is given (every field). */
function chosenFields(project: EmulatedProject, query: ExportQuery): Set<string> | undefined {
  if (query.fields.length === 0 && query.forms.length === 0) return undefined;
  const onForms = project.survey.fields.filter((field) => query.forms.includes(field.form)).map((field) => field.name);
  return new Set([...query.fields, ...onForms]);
}

function dataCell(project: EmulatedProject, query: ExportQuery, name: string, column: ExportColumn): Cell {
  return (row) => {
    const raw = row.values.get(name) ?? blankValue(project, row, column);
    return query.labels ? valueLabel(column.field, column.checkboxCode, raw, query.checkboxLabel) : raw;
  };
}

/** An unanswered checkbox option or form status reads `0` on a row its form belongs to, blank elsewhere. */
function blankValue(project: EmulatedProject, row: StoredRow, column: ExportColumn): string {
  const statusOrCheckbox = column.checkboxCode !== undefined || column.field.name === formStatusFieldName(column.field.form);
  return statusOrCheckbox && belongsToRow(project, column.field.form, row) ? '0' : '';
}

export function belongsToRow(project: EmulatedProject, form: string, row: StoredRow): boolean {
  if (row.key.repeatInstrument !== '') return form === row.key.repeatInstrument;
  return isDesignated(project, form, row.key.event) && !isRepeating(project, form, row.key.event);
}
