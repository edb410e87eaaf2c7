/**
 * One emulated REDCap project: its dictionary, structure (arms, events, form-event mapping, repeating
 * instruments), project info and records, built once from the emulator's configuration.
 */
import { fieldMap, parseDictionary } from '../../dictionary/index.js';
import type { Field, Survey } from '../../dictionary/model.js';
import type { FlatRecord, FormEventMapping, RedcapEvent } from '../../ports/redcap/responses.js';
import { RecordStore, type RowKey } from './record-store.js';

export interface EmulatorEventConfig {
  unique_event_name: string;
  event_name?: string;
  arm_num?: number;
  custom_event_label?: string;
}

export interface EmulatorRepeatingConfig {
  /** The repeating instrument; '' when the whole event repeats (as `repeatingFormsEvents` lists it). */
  form_name: string;
  /** The event the instrument repeats on; omitted, it repeats on every event it is designated for. */
  event_name?: string;
  custom_form_label?: string;
}

export interface EmulatorProjectConfig {
  token: string;
  projectId: number;
  /** A survey, or a data dictionary as Designer CSV or API metadata JSON text. */
  dictionary: Survey | string;
  /** Events make the project longitudinal. */
  events?: readonly EmulatorEventConfig[];
  arms?: readonly { arm_num: number; name: string }[];
  /** Which forms each event holds; omitted, every form is designated for every event. */
  formEventMapping?: readonly { unique_event_name: string; form: string }[];
  repeating?: readonly EmulatorRepeatingConfig[];
  /** Rows loaded at start through the same validation as an API import. */
  records?: readonly FlatRecord[];
  /** Overrides for `content=project` keys. */
  projectInfo?: Readonly<Record<string, unknown>>;
}

/** An export column: a field, or one option of a checkbox field. */
export interface ExportColumn {
  field: Field;
  checkboxCode?: string;
}

export interface EmulatedProject {
  token: string;
  projectId: number;
  survey: Survey;
  fields: ReadonlyMap<string, Field>;
  /** Every data column in dictionary order, by export name. */
  columns: ReadonlyMap<string, ExportColumn>;
  longitudinal: boolean;
  events: readonly RedcapEvent[];
  arms: readonly { arm_num: number; name: string }[];
  mapping: readonly FormEventMapping[];
  repeating: readonly EmulatorRepeatingConfig[];
  info: Readonly<Record<string, unknown>>;
  records: RecordStore;
  /**
   * What each import wrote, oldest first, as REDCap's Logging page lists data changes: the row and the values
   * the import carried for it (tests count how often a value was imported).
   */
  dataLog: { key: RowKey; values: Record<string, string> }[];
}

export function buildProject(config: EmulatorProjectConfig): EmulatedProject {
  const survey = typeof config.dictionary === 'string' ? loadSurvey(config.dictionary, config.projectId) : config.dictionary;
  const events = (config.events ?? []).map(toEvent);
  const longitudinal = events.length > 0;
  const arms = config.arms ?? uniqueArms(events);
  const mapping = longitudinal ? designations(config, survey, events) : [];
  const repeating = config.repeating ?? [];
  const project: EmulatedProject = {
    token: config.token,
    projectId: config.projectId,
    survey,
    fields: fieldMap(survey),
    columns: exportColumns(survey),
    longitudinal,
    events,
    arms,
    mapping,
    repeating,
    info: projectInfo(config, survey, longitudinal, repeating.length > 0),
    records: new RecordStore(events.map((event) => event.unique_event_name)),
    dataLog: [],
  };
  return project;
}

function loadSurvey(text: string, projectId: number): Survey {
  const { survey, diagnostics } = parseDictionary(text);
  if (survey) return survey;
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const first = errors[0];
  const where = first?.line !== undefined ? `line ${first.line}: ` : '';
  throw new Error(`the dictionary for emulated project ${projectId} has ${errors.length} error(s); first: ${where}${first?.message ?? ''}`);
}

function toEvent(config: EmulatorEventConfig, index: number): RedcapEvent {
  const arm = config.arm_num ?? 1;
  return {
    event_name: config.event_name ?? config.unique_event_name.replace(/_arm_\d+$/, '').replace(/_/g, ' '),
    arm_num: arm,
    unique_event_name: config.unique_event_name,
    custom_event_label: config.custom_event_label ?? null,
    event_id: 40_000 + index + 1,
    days_offset: index,
    offset_min: 0,
    offset_max: 0,
  };
}

function uniqueArms(events: readonly RedcapEvent[]): { arm_num: number; name: string }[] {
  const numbers = [...new Set(events.map((event) => event.arm_num))];
  return numbers.map((arm) => ({ arm_num: arm, name: `Arm ${arm}` }));
}

function designations(config: EmulatorProjectConfig, survey: Survey, events: readonly RedcapEvent[]): FormEventMapping[] {
  const armOf = new Map(events.map((event) => [event.unique_event_name, event.arm_num]));
  const pairs = config.formEventMapping
    ?? events.flatMap((event) => survey.instruments.map((i) => ({ unique_event_name: event.unique_event_name, form: i.name })));
  return pairs.map((pair) => ({ arm_num: armOf.get(pair.unique_event_name) ?? 1, ...pair }));
}

function exportColumns(survey: Survey): ReadonlyMap<string, ExportColumn> {
  const columns = new Map<string, ExportColumn>();
  for (const field of survey.fields) {
    if (field.type === 'descriptive') continue;
    if (field.type === 'checkbox') {
      for (const option of field.checkboxExports) columns.set(option.exportName, { field, checkboxCode: option.code });
    } else {
      columns.set(field.name, { field });
    }
  }
  return columns;
}

function projectInfo(
  config: EmulatorProjectConfig, survey: Survey, longitudinal: boolean, repeating: boolean,
): Record<string, unknown> {
  return {
    project_id: config.projectId,
    project_title: `Emulated project ${config.projectId}`,
    creation_time: '2026-01-01 09:00:00',
    production_time: '',
    in_production: 0,
    project_language: 'English',
    purpose: 0,
    purpose_other: '',
    project_notes: `Served by the redcap-sms REDCap API emulator (${survey.instruments.length} instruments)`,
    custom_record_label: '',
    secondary_unique_field: '',
    is_longitudinal: longitudinal ? 1 : 0,
    has_repeating_instruments_or_events: repeating ? 1 : 0,
    surveys_enabled: 1,
    scheduling_enabled: 0,
    record_autonumbering_enabled: 0,
    randomization_enabled: 0,
    ddp_enabled: 0,
    project_irb_number: '',
    project_grant_number: '',
    project_pi_firstname: '',
    project_pi_lastname: '',
    display_today_now_button: 1,
    missing_data_codes: '',
    external_modules: '',
    bypass_branching_erase_field_prompt: 0,
    ...config.projectInfo,
  };
}

/** The event's label as REDCap writes it in messages: `Event 1 (Arm 1: Arm 1)`. */
export function eventLabel(project: EmulatedProject, uniqueName: string): string {
  const event = project.events.find((e) => e.unique_event_name === uniqueName);
  if (!event) return uniqueName;
  const arm = project.arms.find((a) => a.arm_num === event.arm_num);
  return `${event.event_name} (Arm ${event.arm_num}: ${arm?.name ?? `Arm ${event.arm_num}`})`;
}

/** Whether a form repeats on an event ('' for a classic project). */
export function isRepeating(project: EmulatedProject, form: string, event: string): boolean {
  return project.repeating.some((r) => r.form_name === form && (r.event_name === undefined || r.event_name === event || event === ''));
}

/** Whether the whole event repeats: every form on it is one instance, `redcap_repeat_instrument` blank. */
export function isRepeatingEvent(project: EmulatedProject, event: string): boolean {
  return event !== '' && project.repeating.some((r) => r.form_name === '' && r.event_name === event);
}

/** Whether a form may hold data on an event: always in a classic project. */
export function isDesignated(project: EmulatedProject, form: string, event: string): boolean {
  return !project.longitudinal || project.mapping.some((m) => m.unique_event_name === event && m.form === form);
}
