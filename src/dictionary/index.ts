/**
 * The dictionary loader: a REDCap data dictionary (Designer CSV or API metadata JSON) → a typed Survey,
 * or every problem of the file at once. Pure: bytes in, data out.
 */
import { FORM_STATUS_CHOICES } from './choices.js';
import { locateInCsv, readCsv } from './csv-source.js';
import { INVALID_MARK, decodeDictionary, type Decoded } from './decode.js';
import { buildField } from './build-field.js';
import { emptyTags } from './action-tags.js';
import { exportNameClashes } from './export-names.js';
import { readJson } from './json-source.js';
import { SurveySchema, type Diagnostic, type Field, type Instrument, type Survey } from './model.js';
import { error, type RawTable } from './raw-table.js';
import { checkStructure, formStatusFieldName, instrumentsInOrder } from './structure.js';
import { surveyId } from './survey-id.js';

export { isComputed, silentReason, smsAskability, type Askability } from './askability.js';
export { validationType, VALIDATION_TYPES, type ValidationType } from './validation-types.js';
export { checkboxExportName } from './choices.js';
export { formStatusFieldName, instrumentLabel } from './structure.js';

export interface DictionaryLoad {
  /** Null exactly when some diagnostic is an error. */
  survey: Survey | null;
  diagnostics: Diagnostic[];
}

export type DictionaryFormat = 'csv' | 'json';

export function parseDictionary(bytes: Uint8Array | string, hint?: DictionaryFormat): DictionaryLoad {
  const decoded = decodeDictionary(bytes);
  if (!decoded.ok) return failed([notUtf8(decoded, hint)]);
  if (decoded.text.trim() === '') {
    return failed([error({ line: 1 }, {}, 'the file is empty: expected a header row and one row per field')]);
  }
  const format = hint ?? sniffFormat(decoded.text);
  const table = format === 'json' ? readJson(decoded.text) : readCsv(decoded.text);
  return buildSurvey(table);
}

function notUtf8(decoded: Extract<Decoded, { ok: false }>, hint: DictionaryFormat | undefined): Diagnostic {
  const place = (hint ?? sniffFormat(decoded.marked)) === 'csv' ? locateInCsv(decoded.marked, INVALID_MARK) : undefined;
  const { line, ...pointer } = place ?? { line: decoded.line };
  return error({ line }, pointer,
    `the file is not UTF-8 text (invalid byte at offset ${decoded.offset}); save it as "CSV UTF-8" and try again`);
}

/** JSON starts with `[` or `{`; a CSV starts with its header. */
export const sniffFormat = (text: string): DictionaryFormat => (/^\s*[[{]/.test(text) ? 'json' : 'csv');

function buildSurvey(table: RawTable): DictionaryLoad {
  const diagnostics = [...table.diagnostics];
  if (hasErrors(diagnostics)) return failed(diagnostics);
  if (table.rows.length === 0) {
    return failed([...diagnostics, error({ line: 2 }, {}, 'the dictionary has a header but no fields')]);
  }
  diagnostics.push(...checkStructure(table.rows, table.columnName));
  const fields: Field[] = [];
  for (const row of table.rows) {
    const built = buildField({ row, columnName: table.columnName });
    diagnostics.push(...built.diagnostics);
    if (built.field) fields.push(built.field);
  }
  diagnostics.push(...exportNameClashes(fields, table.columnName));
  if (hasErrors(diagnostics)) return failed(diagnostics);
  return { survey: assemble(fields), diagnostics };
}

function assemble(dictionaryFields: readonly Field[]): Survey {
  const groups = instrumentsInOrder(dictionaryFields);
  const instruments: Instrument[] = [];
  const fields: Field[] = [];
  for (const group of groups) {
    const status = formStatusField(group.name);
    fields.push(...group.fields, status);
    instruments.push({ name: group.name, fields: [...group.fields.map((f) => f.name), status.name], completeField: status.name });
  }
  const recordIdField = dictionaryFields[0]?.name ?? '';
  // The schema parse is the model's contract check: a failure here is a loader bug, not a user error.
  return SurveySchema.parse({ id: surveyId(fields), recordIdField, instruments, fields });
}

function formStatusField(form: string): Field {
  return {
    name: formStatusFieldName(form), form, type: 'dropdown', label: 'Complete?', note: '', sectionHeader: 'Form Status',
    choices: [...FORM_STATUS_CHOICES], checkboxExports: [], validation: null, min: null, max: null,
    required: false, identifier: false, branching: null, matrix: null, questionNumber: null, annotation: '',
    tags: emptyTags(), formStatus: true, source: {},
  };
}

const hasErrors = (diagnostics: readonly Diagnostic[]): boolean => diagnostics.some((d) => d.severity === 'error');
const failed = (diagnostics: Diagnostic[]): DictionaryLoad => ({ survey: null, diagnostics });

const fieldMaps = new WeakMap<Survey, ReadonlyMap<string, Field>>();

/** Fields by name, built once per survey object. */
export function fieldMap(survey: Survey): ReadonlyMap<string, Field> {
  let map = fieldMaps.get(survey);
  if (!map) {
    map = new Map(survey.fields.map((field) => [field.name, field]));
    fieldMaps.set(survey, map);
  }
  return map;
}
export { askOrder, hostTexts, scanEmbedding, surveyEmbedding, type EmbedReference, type Embedding } from './embedding.js';
