/**
 * One handler per `content` value the emulator answers, each a pure function of the project and the
 * request's fields (imports write to the project's record store).
 */
import { createHash } from 'node:crypto';
import { listParam, type DecodedForm } from '../../adapters/redcap/form.js';
import type { ExportFieldName, InstrumentInfo } from '../../ports/redcap/responses.js';
import { metadataRows } from './metadata.js';
import { planImport } from './import-plan.js';
import type { EmulatedProject } from './project.js';
import { exportRows, invalidQueryValues } from './record-export.js';
import { failure, json, problemLines, text, type Reply } from './replies.js';

export const EMULATED_REDCAP_VERSION = '14.9.1';

export interface CallContext {
  project: EmulatedProject;
  form: DecodedForm;
  /** `http://host:port`, for survey links. */
  origin: string;
}

type Handler = (call: CallContext) => Reply;

const classicError = (what: string): Reply => failure(400, `You cannot export ${what} for classic projects`);

export const CONTENT_HANDLERS: Readonly<Record<string, Handler>> = {
  metadata: ({ project }) => json(metadataRows(project.survey)),
  project: ({ project }) => json(project.info),
  instrument: ({ project }) => json(project.survey.instruments.map((i): InstrumentInfo => ({
    instrument_name: i.name, instrument_label: labelFromName(i.name),
  }))),
  event: ({ project }) => (project.longitudinal ? json(project.events) : classicError('events')),
  arm: ({ project }) => (project.longitudinal ? json(project.arms) : classicError('arms')),
  formEventMapping: ({ project }) => (project.longitudinal ? json(project.mapping) : classicError('form/event mappings')),
  repeatingFormsEvents: ({ project }) => json(project.repeating.map((r) => ({
    event_name: r.event_name ?? '', form_name: r.form_name, custom_form_label: r.custom_form_label ?? '',
  }))),
  exportFieldNames: ({ project, form }) => exportFieldNames(project, form.values.get('field')),
  record: (call) => (call.form.values.has('data') ? importRecords(call) : exportRecords(call)),
  surveyLink: surveyLink,
  version: () => text(EMULATED_REDCAP_VERSION),
};

/** `my_form` → `My Form`: the dictionary carries no instrument labels, so the emulator makes one. */
const labelFromName = (name: string): string =>
  name.split('_').filter((word) => word !== '').map((word) => word[0]?.toUpperCase() + word.slice(1)).join(' ');

function exportFieldNames(project: EmulatedProject, only: string | undefined): Reply {
  if (only !== undefined && !project.fields.has(only)) return failure(400, `The field '${only}' does not exist`);
  const rows: ExportFieldName[] = [...project.columns]
    .filter(([, column]) => !column.field.formStatus && (only === undefined || column.field.name === only))
    .map(([exportName, column]) => ({
      original_field_name: column.field.name, choice_value: column.checkboxCode ?? '', export_field_name: exportName,
    }));
  return json(rows);
}

function exportRecords({ project, form }: CallContext): Reply {
  if ((form.values.get('type') ?? 'flat') !== 'flat') return failure(400, 'The emulator exports records as type=flat only');
  const query = { records: listParam(form, 'records'), fields: listParam(form, 'fields'), events: listParam(form, 'events') };
  const invalid = invalidQueryValues(project, query);
  if (invalid) {
    return failure(400, `The following values in the parameter ${invalid.parameter} are not valid: ${invalid.values.map((v) => `'${v}'`).join(', ')}`);
  }
  return json(exportRows(project, query));
}

function importRecords({ project, form }: CallContext): Reply {
  if ((form.values.get('type') ?? 'flat') !== 'flat') return failure(400, 'The emulator imports records as type=flat only');
  if (form.values.get('forceAutoNumber') === 'true') return failure(400, 'The emulator does not support forceAutoNumber');
  let data: unknown;
  try {
    data = JSON.parse(form.values.get('data') ?? '');
  } catch {
    return failure(400, 'The data being imported is not formatted correctly: it is not valid JSON');
  }
  const plan = planImport(project, data, (key, planned) => project.records.nextInstance(key, planned));
  if (plan.kind === 'rejected') return failure(400, plan.message);
  if (plan.kind === 'problems') return failure(400, problemLines(plan.problems));
  const overwrite = form.values.get('overwriteBehavior') === 'overwrite';
  for (const write of plan.writes) project.records.write(write.key, write.values, overwrite);
  const returnContent = form.values.get('returnContent') ?? 'count';
  if (returnContent === 'ids') return json(plan.records);
  if (returnContent === 'nothing') return text('');
  return json({ count: plan.records.length });
}

function surveyLink({ project, form, origin }: CallContext): Reply {
  const record = form.values.get('record') ?? '';
  const instrument = form.values.get('instrument') ?? '';
  const event = form.values.get('event') ?? '';
  const instance = form.values.get('repeat_instance') ?? '1';
  if (!project.survey.instruments.some((i) => i.name === instrument)) {
    return failure(400, `The instrument "${instrument}" does not exist or is not enabled as a survey`);
  }
  if (project.longitudinal && !project.events.some((e) => e.unique_event_name === event)) {
    return failure(400, `The event "${event}" is not a valid unique event name for this longitudinal project`);
  }
  if (!project.records.hasRecord(record)) return failure(400, `The record "${record}" does not exist`);
  const hash = createHash('sha256').update(JSON.stringify([project.projectId, record, instrument, event, instance])).digest('hex');
  return text(`${origin}/surveys/?s=${hash.slice(0, 10).toUpperCase()}`);
}
