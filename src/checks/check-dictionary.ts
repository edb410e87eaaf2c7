/**
 * `dictionary check`: load a dictionary and report what an SMS survey can do with it — instruments,
 * field counts, fields that cannot be asked by text and why, errors and warnings. Pure: bytes in, report out.
 */
import { fieldMap, parseDictionary, silentReason, smsAskability, surveyEmbedding, type DictionaryFormat, type Embedding } from '../dictionary/index.js';
import type { Diagnostic, Field, Survey } from '../dictionary/model.js';
import { checkSurveyLogic } from '../logic/index.js';
import { instrumentCost } from '../answers/index.js';
import { englishCatalog } from '../messages/catalog.js';

export interface NotAskable {
  field: string;
  reason: string;
}

export interface EmbeddedField {
  field: string;
  /** The field whose text holds its `{placeholder}`; the SMS asks it right after this one. */
  host: string;
}

export interface InstrumentReport {
  name: string;
  /** Fields from the dictionary on this instrument (not counting its `{form}_complete` status field). */
  fields: number;
  /**
   * Questions the SMS survey really asks (wherever branching shows them): `fields` less those that
   * cannot be asked (`notAskable`) and those never asked (`notAsked`).
   */
  askable: number;
  notAskable: NotAskable[];
  /** Fields on the instrument that are never asked, and why: the record ID, calculations, descriptive text, hidden or read-only fields. */
  notAsked: NotAskable[];
  /** Fields with branching logic. */
  branching: number;
  /** Fields embedded in another field's text (decision 0047). */
  embedded: EmbeddedField[];
  /**
   * SMS cost of asking this instrument, e.g. segments per prompt.
   * Optional so the report stays valid before the answers module adds it.
   */
  promptCost?: unknown;
}

export interface DictionaryReport {
  /** Content hash of the survey; null when the dictionary has errors. */
  surveyId: string | null;
  recordIdField: string | null;
  instruments: InstrumentReport[];
  /** Fields in the dictionary (status fields excluded). */
  fieldCount: number;
  /** Fields with branching logic, in every instrument. */
  branchingCount: number;
  /** Dictionary fields by field type. */
  fieldTypes: Record<string, number>;
  /** Text validation types used, with how many fields use each. */
  validationTypes: Record<string, number>;
  /** Checkbox export columns (`field___code`) the survey writes. */
  checkboxExportNames: string[];
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

export function checkDictionary(bytes: Uint8Array | string, hint?: DictionaryFormat): DictionaryReport {
  const load = parseDictionary(bytes, hint);
  const diagnostics = [...load.diagnostics, ...(load.survey ? surveyChecks(load.survey) : [])];
  const report = load.survey ? describeSurvey(load.survey) : emptyReport();
  return {
    ...report,
    errors: diagnostics.filter((d) => d.severity === 'error'),
    warnings: diagnostics.filter((d) => d.severity === 'warning'),
  };
}

/** Checks beyond the dictionary's structure, run only on a survey that loaded. */
function surveyChecks(survey: Survey): Diagnostic[] {
  return [...checkSurveyLogic(survey), ...surveyEmbedding(survey).diagnostics];
}

/** Per-instrument facts other modules add to the report. */
function instrumentExtras(survey: Survey, instrument: string): Pick<InstrumentReport, 'promptCost'> {
  return {
    promptCost: instrumentCost(survey, instrument, englishCatalog),
  };
}

export type SurveyFacts = Omit<DictionaryReport, 'errors' | 'warnings'>;

export function describeSurvey(survey: Survey): SurveyFacts {
  const fields = survey.fields.filter((field) => !field.formStatus);
  const byName = fieldMap(survey);
  const embedding = surveyEmbedding(survey);
  return {
    surveyId: survey.id,
    recordIdField: survey.recordIdField,
    instruments: survey.instruments.map((instrument) => ({
      ...describeInstrument(instrument.name, instrument.fields.flatMap((name) => byName.get(name) ?? []), survey.recordIdField, embedding),
      ...instrumentExtras(survey, instrument.name),
    })),
    fieldCount: fields.length,
    branchingCount: fields.filter(hasBranching).length,
    fieldTypes: countBy(fields, (field) => field.type),
    validationTypes: countBy(fields, (field) => field.validation),
    checkboxExportNames: fields.flatMap((field) => field.checkboxExports.map((e) => e.exportName)),
  };
}

function describeInstrument(name: string, all: readonly Field[], recordIdField: string, embedding: Embedding): InstrumentReport {
  const fields = all.filter((field) => !field.formStatus);
  const notAskable: NotAskable[] = [];
  const notAsked: NotAskable[] = [];
  for (const field of fields) {
    // The field's own tags: an @IF may change them per record, which no count made in advance can know.
    const silent = silentReason(field, field.tags, recordIdField);
    const verdict = smsAskability(field);
    if (silent !== undefined) notAsked.push({ field: field.name, reason: silent });
    else if (!verdict.askable) notAskable.push({ field: field.name, reason: verdict.reason });
  }
  return {
    name,
    fields: fields.length,
    askable: fields.length - notAskable.length - notAsked.length,
    notAskable,
    notAsked,
    branching: fields.filter(hasBranching).length,
    embedded: fields.flatMap((field) => {
      const host = embedding.hostOf.get(field.name);
      return host === undefined ? [] : [{ field: field.name, host }];
    }),
  };
}

const hasBranching = (field: Field): boolean => (field.branching ?? '').trim() !== '';

function countBy(fields: readonly Field[], key: (field: Field) => string | null): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const field of fields) {
    const value = key(field);
    if (value !== null) counts[value] = (counts[value] ?? 0) + 1;
  }
  return counts;
}

const emptyReport = (): SurveyFacts => ({
  surveyId: null, recordIdField: null, instruments: [], fieldCount: 0, branchingCount: 0, fieldTypes: {}, validationTypes: {},
  checkboxExportNames: [],
});
