/**
 * `rawOrLabel=label` and `rawOrLabelHeaders=label`: what REDCap writes instead of codes and variable
 * names. A choice's label for its code; a checkbox option `Checked`/`Unchecked` (or, with
 * `exportCheckboxLabel=true`, the option's label when checked and blank when not); a field's label as
 * its header, `Label (choice=Option)` for a checkbox option, and REDCap's fixed headers for its own columns.
 */
import { htmlToText } from '../../answers/html.js';
import { formStatusFieldName } from '../../dictionary/index.js';
import type { Field } from '../../dictionary/model.js';

const SYSTEM_HEADERS: Readonly<Record<string, string>> = {
  redcap_event_name: 'Event Name',
  redcap_repeat_instrument: 'Repeat Instrument',
  redcap_repeat_instance: 'Repeat Instance',
  redcap_survey_identifier: 'Survey Identifier',
};

export function systemLabel(name: string): string {
  return SYSTEM_HEADERS[name] ?? (name.endsWith('_timestamp') ? 'Survey Timestamp' : name);
}

export function columnLabel(field: Field, checkboxCode: string | undefined): string {
  if (field.name === formStatusFieldName(field.form)) return 'Complete?';
  const label = htmlToText(field.label);
  if (checkboxCode === undefined) return label;
  return `${label} (choice=${htmlToText(choiceLabel(field, checkboxCode) ?? checkboxCode)})`;
}

export function valueLabel(field: Field, checkboxCode: string | undefined, raw: string, checkboxLabel: boolean): string {
  if (raw === '') return '';
  if (checkboxCode !== undefined) {
    if (checkboxLabel) return raw === '1' ? choiceLabel(field, checkboxCode) ?? checkboxCode : '';
    return raw === '1' ? 'Checked' : 'Unchecked';
  }
  return field.choices.length > 0 && field.type !== 'calc' ? choiceLabel(field, raw) ?? raw : raw;
}

const choiceLabel = (field: Field, code: string): string | undefined => field.choices.find((choice) => choice.code === code)?.label;
