/** `content=metadata`: every field, or those `fields[]` and `forms[]` name (their union), as JSON or CSV. */
import { listParam, type DecodedForm } from '../../adapters/redcap/form.js';
import { csvFromObjects } from './csv-format.js';
import { METADATA_KEYS, metadataRows } from './metadata.js';
import type { EmulatedProject } from './project.js';
import { csv, failure, json, type Reply } from './replies.js';

export function exportMetadata(project: EmulatedProject, form: DecodedForm): Reply {
  const fields = listParam(form, 'fields');
  const forms = listParam(form, 'forms');
  const rows = metadataRows(project.survey);
  const badFields = fields.filter((name) => !rows.some((row) => row.field_name === name));
  if (badFields.length > 0) return failure(400, notValid('fields', badFields));
  const badForms = forms.filter((name) => !project.survey.instruments.some((instrument) => instrument.name === name));
  if (badForms.length > 0) return failure(400, notValid('forms', badForms));
  const chosen = fields.length === 0 && forms.length === 0
    ? rows
    : rows.filter((row) => fields.includes(row.field_name) || forms.includes(row.form_name));
  return form.values.get('format') === 'csv' ? csv(csvFromObjects(chosen, METADATA_KEYS)) : json(chosen);
}

const notValid = (parameter: string, values: readonly string[]): string =>
  `The following values in the parameter ${parameter} are not valid: ${values.map((v) => `'${v}'`).join(', ')}`;
