/**
 * `dictionary check`: load a dictionary and report what an SMS survey can do with it — instruments,
 * field counts, fields that cannot be asked by text and why, errors and warnings. Pure: bytes in, report out.
 */
import { fieldMap, parseDictionary, smsAskability, type DictionaryFormat } from '../dictionary/index.js';
import type { Diagnostic, Field, Survey } from '../dictionary/model.js';
import { checkSurveyLogic } from '../logic/index.js';
import { instrumentCost } from '../answers/index.js';
import { englishCatalog } from '../messages/catalog.js';

export interface NotAskable {
  field: string;
  reason: string;
}

export interface InstrumentReport {
  name: string;
  /** Fields from the dictionary on this instrument (not counting its `{form}_complete` status field). */
  fields: number;
  /** `fields` minus the not-askable ones. */
  askable: number;
  notAskable: NotAskable[];
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
  return checkSurveyLogic(survey);
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
  return {
    surveyId: survey.id,
    recordIdField: survey.recordIdField,
    instruments: survey.instruments.map((instrument) => ({
      ...describeInstrument(instrument.name, instrument.fields.flatMap((name) => byName.get(name) ?? [])),
      ...instrumentExtras(survey, instrument.name),
    })),
    fieldCount: fields.length,
    fieldTypes: countBy(fields, (field) => field.type),
    validationTypes: countBy(fields, (field) => field.validation),
    checkboxExportNames: fields.flatMap((field) => field.checkboxExports.map((e) => e.exportName)),
  };
}

function describeInstrument(name: string, all: readonly Field[]): InstrumentReport {
  const fields = all.filter((field) => !field.formStatus);
  const notAskable = fields.flatMap((field) => {
    const verdict = smsAskability(field);
    return verdict.askable ? [] : [{ field: field.name, reason: verdict.reason }];
  });
  return { name, fields: fields.length, askable: fields.length - notAskable.length, notAskable };
}

function countBy(fields: readonly Field[], key: (field: Field) => string | null): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const field of fields) {
    const value = key(field);
    if (value !== null) counts[value] = (counts[value] ?? 0) + 1;
  }
  return counts;
}

const emptyReport = (): SurveyFacts => ({
  surveyId: null, recordIdField: null, instruments: [], fieldCount: 0, fieldTypes: {}, validationTypes: {},
  checkboxExportNames: [],
});
