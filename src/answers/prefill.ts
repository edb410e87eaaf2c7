/**
 * Answers REDCap fills in before the participant answers (`@DEFAULT`, `@SETVALUE`): what they store,
 * and how a text message shows them so the participant can keep or change them.
 */
import type { Field } from '../dictionary/model.js';
import type { Catalog } from '../messages/catalog.js';
import { checkboxColumns } from './checkbox-exports.js';
import { allChoices } from './choices.js';
import { textFormat } from './formats/index.js';
import type { RecordData } from './types.js';

/** The stored values a filled-in text stands for; a checkbox's `1,3` ticks those options and clears the others. */
export function prefillValues(field: Field, value: string): RecordData {
  if (field.type !== 'checkbox') return { [field.name]: value };
  const ticked = new Set(value.split(',').map((code) => code.trim().toLowerCase()).filter((code) => code !== ''));
  return Object.fromEntries(checkboxColumns(field).map(({ code, column }) => [column, ticked.has(code.toLowerCase()) ? '1' : '0']));
}

/** True when the record holds no answer for the field: blank, or for a checkbox no option ticked. */
export function hasNoAnswer(field: Field, record: RecordData): boolean {
  if (field.type === 'checkbox') return checkboxColumns(field).every(({ column }) => record[column] !== '1');
  return (record[field.name] ?? '') === '';
}

/** A filled-in answer as the participant reads it: a choice's label, a date in the field's order. */
export function shownAnswer(field: Field, values: RecordData, catalog: Catalog, plain: (text: string) => string): string {
  const labelOf = (code: string): string => plain(allChoices(field, catalog).find((choice) => choice.code === code)?.label ?? code);
  if (field.type === 'checkbox') {
    return checkboxColumns(field).filter(({ column }) => values[column] === '1').map(({ code }) => labelOf(code)).join(', ');
  }
  const stored = values[field.name] ?? '';
  if (['radio', 'dropdown', 'yesno', 'truefalse', 'sql'].includes(field.type)) return labelOf(stored);
  return field.type === 'text' ? textFormat(field.validation).show(stored) : stored;
}
