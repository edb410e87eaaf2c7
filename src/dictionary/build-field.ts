/** One raw dictionary row → one typed Field, with every problem of that row as a diagnostic. */
import { parseActionTags } from './action-tags.js';
import { minAboveMax, numeric, parseBound } from './bounds.js';
import {
  LISTED_CHOICE_TYPES, TRUEFALSE_CHOICES, YESNO_CHOICES, checkboxExports, parseChoices,
} from './choices.js';
import type { ColumnKey } from './columns.js';
import { FIELD_TYPES, type Choice, type Diagnostic, type Field, type FieldType, type Slider } from './model.js';
import { error, warning, type RawRow } from './raw-table.js';
import { fieldTypeForValidation, validationType } from './validation-types.js';

export interface FieldContext {
  row: RawRow;
  columnName: (key: ColumnKey) => string;
}

export interface BuiltField {
  field: Field | null;
  diagnostics: Diagnostic[];
}

/** Reports against one row: every message names the line (or index), the field and the column. */
class RowReporter {
  readonly diagnostics: Diagnostic[] = [];
  constructor(private readonly context: FieldContext, private readonly field: string) {}
  get source(): Field['source'] {
    const at = this.context.row.at;
    return 'line' in at ? { line: at.line } : { index: at.index };
  }
  error(key: ColumnKey, message: string): void {
    this.diagnostics.push(error(this.context.row.at, this.pointer(key), message));
  }
  warning(key: ColumnKey, message: string): void {
    this.diagnostics.push(warning(this.context.row.at, this.pointer(key), message));
  }
  private pointer(key: ColumnKey): { field?: string; column: string } {
    const column = this.context.columnName(key);
    return this.field === '' ? { column } : { field: this.field, column };
  }
}

const FIELD_NAME = /^[a-z][a-z0-9_]*$/;
const isFieldType = (type: string): type is FieldType => (FIELD_TYPES as readonly string[]).includes(type);
const flag = (cell: string): boolean => cell.trim().toLowerCase() === 'y';
const orNull = (cell: string): string | null => (cell.trim() === '' ? null : cell.trim());

export function buildField(context: FieldContext): BuiltField {
  const cells = context.row.cells;
  const name = cells.field_name.trim();
  const report = new RowReporter(context, name);
  checkName(name, report);
  const form = cells.form_name.trim();
  if (form === '') report.error('form_name', 'the form name is empty');
  else if (!FIELD_NAME.test(form)) report.error('form_name', `"${form}" is not a valid form name (lowercase letters, digits and _, starting with a letter)`);
  const typeText = cells.field_type.trim();
  if (!isFieldType(typeText)) {
    report.error('field_type', `unknown field type "${typeText}"; expected one of ${FIELD_TYPES.join(', ')}`);
    return { field: null, diagnostics: report.diagnostics };
  }
  const field = assemble(name, form, typeText, cells, report);
  return { field: report.diagnostics.some((d) => d.severity === 'error') ? null : field, diagnostics: report.diagnostics };
}

function checkName(name: string, report: RowReporter): void {
  if (name === '') report.error('field_name', 'the field name is empty');
  else if (!FIELD_NAME.test(name)) {
    report.error('field_name', `"${name}" is not a valid field name: use lowercase letters, digits and _, starting with a letter`);
  } else if (name.endsWith('_')) {
    report.warning('field_name', `"${name}" ends with "_", which REDCap's Designer does not allow`);
  }
}

function assemble(name: string, form: string, type: FieldType, cells: RawRow['cells'], report: RowReporter): Field {
  const choices = choicesFor(type, cells.select_choices_or_calculations, report);
  const validation = validationFor(type, cells.text_validation_type_or_show_slider_number, report);
  const slider = type === 'slider' ? sliderFor(cells, report) : undefined;
  const min = type === 'slider' ? null : parseBound(cells.text_validation_min);
  const max = type === 'slider' ? null : parseBound(cells.text_validation_max);
  if (minAboveMax(min, max, validation === null ? undefined : validationType(validation))) {
    report.error('text_validation_min', `the minimum ${cells.text_validation_min.trim()} is above the maximum ${cells.text_validation_max.trim()}`);
  }
  const { tags, problems } = parseActionTags(cells.field_annotation);
  for (const problem of problems) report.warning('field_annotation', problem);
  const matrixGroup = cells.matrix_group_name.trim();
  return {
    name, form, type,
    label: cells.field_label,
    note: cells.field_note,
    sectionHeader: cells.section_header,
    choices,
    checkboxExports: type === 'checkbox' ? checkboxExports(name, choices) : [],
    ...(type === 'calc' ? { calc: cells.select_choices_or_calculations.trim() } : {}),
    ...(slider ? { slider } : {}),
    validation,
    min, max,
    required: flag(cells.required_field),
    identifier: flag(cells.identifier),
    branching: orNull(cells.branching_logic),
    matrix: matrixGroup === '' ? null : { group: matrixGroup, ranking: flag(cells.matrix_ranking) },
    questionNumber: orNull(cells.question_number),
    annotation: cells.field_annotation,
    tags,
    formStatus: false,
    source: report.source,
  };
}

function choicesFor(type: FieldType, cell: string, report: RowReporter): Choice[] {
  if (type === 'yesno') return [...YESNO_CHOICES];
  if (type === 'truefalse') return [...TRUEFALSE_CHOICES];
  if (!LISTED_CHOICE_TYPES.has(type)) return [];
  const { choices, problems } = parseChoices(cell);
  for (const problem of problems) report.warning('select_choices_or_calculations', problem);
  return choices;
}

function validationFor(type: FieldType, cell: string, report: RowReporter): string | null {
  const name = cell.trim();
  if (name === '' || type === 'slider') return null;
  const known = validationType(name);
  if (!known) {
    report.warning('text_validation_type_or_show_slider_number', `unknown validation type "${name}" (perhaps defined by your REDCap site); answers are accepted as plain text`);
  } else if (fieldTypeForValidation(known) !== type) {
    report.warning('text_validation_type_or_show_slider_number', `the validation "${name}" applies to ${fieldTypeForValidation(known)} fields, not ${type}; it is ignored`);
    return null;
  }
  return name;
}

function sliderFor(cells: RawRow['cells'], report: RowReporter): Slider {
  const labels = cells.select_choices_or_calculations.split('|').map((part) => part.trim());
  if (labels.length > 3) report.warning('select_choices_or_calculations', 'a slider has at most three labels (left | middle | right); the rest are ignored');
  const [left = '', middle = '', right = ''] = labels.length === 2 ? [labels[0], '', labels[1]] : labels;
  const min = sliderBound(cells.text_validation_min, 0, 'text_validation_min', report);
  const max = sliderBound(cells.text_validation_max, 100, 'text_validation_max', report);
  if (min > max) report.error('text_validation_min', `the slider minimum ${min} is above its maximum ${max}`);
  const show = cells.text_validation_type_or_show_slider_number.trim().toLowerCase();
  return { labels: { left, middle, right }, min, max, showNumber: show === 'number' };
}

function sliderBound(cell: string, fallback: number, key: ColumnKey, report: RowReporter): number {
  if (cell.trim() === '') return fallback;
  const value = numeric(cell);
  if (value === undefined) {
    report.warning(key, `the slider bound "${cell.trim()}" is not a number; ${fallback} is used`);
    return fallback;
  }
  return value;
}
