/**
 * One handler per `content` value the emulator answers, each a pure function of the project and the
 * request's fields (imports write to the project's record store).
 */
import { createHash } from 'node:crypto';
import type { DecodedForm } from '../../adapters/redcap/form.js';
import type { InstrumentInfo } from '../../ports/redcap/responses.js';
import { exportRecords } from './export-records.js';
import { exportFieldNames } from './field-names.js';
import { importRecords } from './import-records.js';
import { exportMetadata } from './metadata-export.js';
import type { EmulatedProject } from './project.js';
import { failure, json, text, type Reply } from './replies.js';

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
  metadata: ({ project, form }) => exportMetadata(project, form),
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
  record: ({ project, form }) => (form.values.has('data') ? importRecords(project, form, new Date()) : exportRecords(project, form, new Date())),
  surveyLink: surveyLink,
  version: () => text(EMULATED_REDCAP_VERSION),
};

/** `my_form` → `My Form`: the dictionary carries no instrument labels, so the emulator makes one. */
const labelFromName = (name: string): string =>
  name.split('_').filter((word) => word !== '').map((word) => word[0]?.toUpperCase() + word.slice(1)).join(' ');

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
