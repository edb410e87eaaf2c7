/**
 * A survey back to REDCap's `content=metadata` rows: the 18 dictionary columns, every value a string,
 * `{form}_complete` fields left out (REDCap adds them itself and never lists them in the dictionary).
 */
import type { Bound, Field, Survey } from '../../dictionary/model.js';
import type { MetadataRow } from '../../ports/redcap/responses.js';

/** The 18 keys of a metadata row, in REDCap's order (the CSV header of `format=csv`). */
export const METADATA_KEYS: readonly (keyof MetadataRow)[] = [
  'field_name', 'form_name', 'section_header', 'field_type', 'field_label', 'select_choices_or_calculations', 'field_note',
  'text_validation_type_or_show_slider_number', 'text_validation_min', 'text_validation_max', 'identifier', 'branching_logic',
  'required_field', 'custom_alignment', 'question_number', 'matrix_group_name', 'matrix_ranking', 'field_annotation',
];

export function metadataRows(survey: Survey): MetadataRow[] {
  return survey.fields.filter((field) => !field.formStatus).map(metadataRow);
}

function metadataRow(field: Field): MetadataRow {
  return {
    field_name: field.name,
    form_name: field.form,
    section_header: field.sectionHeader,
    field_type: field.type,
    field_label: field.label,
    select_choices_or_calculations: choicesCell(field),
    field_note: field.note,
    text_validation_type_or_show_slider_number: field.slider ? (field.slider.showNumber ? 'number' : '') : field.validation ?? '',
    text_validation_min: field.slider ? String(field.slider.min) : boundCell(field.min),
    text_validation_max: field.slider ? String(field.slider.max) : boundCell(field.max),
    identifier: flag(field.identifier),
    branching_logic: field.branching ?? '',
    required_field: flag(field.required),
    custom_alignment: '',
    question_number: field.questionNumber ?? '',
    matrix_group_name: field.matrix?.group ?? '',
    matrix_ranking: flag(field.matrix?.ranking ?? false),
    field_annotation: field.annotation,
  };
}

const flag = (on: boolean): string => (on ? 'y' : '');

/** Listed choices as `code, label | …`; yes/no and true/false have fixed choices REDCap leaves blank. */
function choicesCell(field: Field): string {
  if (field.type === 'calc') return field.calc ?? '';
  if (field.slider) {
    const { left, middle, right } = field.slider.labels;
    return [left, middle, right].join(' | ').replace(/(\s\|\s)+$/, '');
  }
  if (field.type === 'yesno' || field.type === 'truefalse') return '';
  return field.choices.map((choice) => `${choice.code}, ${choice.label}`).join(' | ');
}

function boundCell(bound: Bound | null): string {
  if (bound === null) return '';
  if (bound.kind === 'literal') return bound.value;
  if (bound.kind === 'field') return `[${bound.field}]`;
  return bound.kind;
}
