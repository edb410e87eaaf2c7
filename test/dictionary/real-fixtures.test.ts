/**
 * Every real public dictionary loads without errors, with its real counts. The expected numbers were
 * counted from the CSV files with Python's csv module (an independent reader), not from this loader.
 */
import { readdirSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { parseDictionary } from '../../src/dictionary/index.js';
import { fixturePath, readFixture } from './helpers.js';

interface Expected {
  file: string;
  fields: number;
  instruments: string[];
  checkboxExports: number;
  someExports: string[];
  validations: string[];
  recordId: string;
}

const EXPECTED: Expected[] = [
  {
    file: 'ccc19-data-dictionary.csv', fields: 375, recordId: 'record_id',
    instruments: ['screening_form', 'patient_demographics', 'covid19_details', 'cancer_details', 'respondent_details', 'followup', 'manual_exclude'],
    checkboxExports: 589,
    someExports: ['race___1002_5', 'significant_comorbidities___oth_x', 'c19_bleeding___230690007_major', 'covid_19_trial_tx___db_15718', 'c19_anticoag_reason___2a'],
    validations: ['autocomplete', 'date_dmy', 'datetime_dmy', 'integer', 'number'],
  },
  {
    file: 'phpcap-longitudinal-metadata.csv', fields: 45, recordId: 'study_id',
    instruments: ['demographics', 'contact_info', 'lab_data', 'patient_morale_questionnaire', 'completion_data'],
    checkboxExports: 25, someExports: ['gym___0', 'drink___4', 'meds___5'],
    validations: ['date_ymd', 'email', 'integer', 'number', 'phone'],
  },
  {
    file: 'redcapr-checkboxes-1.csv', fields: 4, recordId: 'record_id', instruments: ['form_1', 'form_2'],
    checkboxExports: 9, someExports: ['check_one___1', 'check_one___4', 'check_two___a', 'check_two___e'], validations: [],
  },
  {
    file: 'redcapr-clinical-trial-1.csv', fields: 12, recordId: 'record_id', instruments: ['demographics'],
    checkboxExports: 0, someExports: [], validations: ['date_ymd', 'integer', 'number'],
  },
  {
    file: 'redcapr-decimal-comma-and-dot.csv', fields: 8, recordId: 'record_id', instruments: ['demographics'],
    checkboxExports: 0, someExports: [], validations: ['number', 'number_comma_decimal'],
  },
  {
    file: 'redcapr-longitudinal.csv', fields: 95, recordId: 'study_id',
    instruments: ['demographics', 'contact_info', 'baseline_data', 'visit_lab_data', 'patient_morale_questionnaire', 'visit_blood_workup', 'visit_observed_behavior', 'completion_data', 'completion_project_questionnaire'],
    checkboxExports: 25, someExports: ['aerobics___0', 'eat___3'], validations: ['date_ymd', 'email', 'integer', 'number', 'phone'],
  },
  {
    file: 'redcapr-nonnumeric-record-id.csv', fields: 2, recordId: 'record_id', instruments: ['demographics'],
    checkboxExports: 0, someExports: [], validations: [],
  },
  {
    file: 'redcapr-potentially-problematic-dictionary.csv', fields: 6, recordId: 'record_id', instruments: ['form_1'],
    checkboxExports: 0, someExports: [], validations: [],
  },
  {
    file: 'redcapr-repeating-instruments.csv', fields: 11, recordId: 'record_id', instruments: ['demographics', 'bp'],
    checkboxExports: 0, someExports: [], validations: ['date_ymd', 'integer'],
  },
  {
    file: 'redcapr-simple.csv', fields: 16, recordId: 'record_id', instruments: ['demographics', 'health', 'race_and_ethnicity'],
    checkboxExports: 6, someExports: ['race___1', 'race___6'], validations: ['date_ymd', 'email', 'integer', 'number', 'phone'],
  },
  {
    file: 'redcapr-survey.csv', fields: 25, recordId: 'participant_id',
    instruments: ['prescreening_survey', 'participant_info_survey', 'participant_morale_questionnaire', 'completion_data'],
    checkboxExports: 1, someExports: ['consent___1'], validations: ['date_ymd', 'email', 'integer', 'number', 'phone'],
  },
  {
    file: 'redcapr-validation-types-1.csv', fields: 50, recordId: 'record_id', instruments: ['form_1'],
    checkboxExports: 3, someExports: ['f_checkbox___0', 'f_checkbox___2'],
    validations: ['alpha_only', 'date_dmy', 'date_mdy', 'date_ymd', 'datetime_dmy', 'datetime_mdy', 'datetime_seconds_dmy',
      'datetime_seconds_mdy', 'datetime_seconds_ymd', 'datetime_ymd', 'email', 'integer', 'mrn_10d', 'mrn_generic', 'number',
      'number_1dp', 'number_1dp_comma_decimal', 'number_2dp', 'number_2dp_comma_decimal', 'number_3dp', 'number_3dp_comma_decimal',
      'number_4dp', 'number_4dp_comma_decimal', 'number_comma_decimal', 'phone', 'phone_australia', 'postalcode_australia',
      'postalcode_canada', 'postalcode_french', 'postalcode_germany', 'signature', 'ssn', 'time', 'time_hh_mm_ss', 'time_mm_ss',
      'vmrn', 'zipcode'],
  },
];

describe('the real dictionaries in fixtures/dictionaries', () => {
  const allCsvs = readdirSync(fixturePath('')).filter((name) => name.endsWith('.csv')).sort();

  it('when the fixtures folder is listed, then every public REDCap dictionary in it has hand-counted numbers here', () => {
    const publicOnes = allCsvs.filter((name) => /^(redcapr|phpcap|ccc19)-/.test(name));
    expect(publicOnes).toEqual(EXPECTED.map((e) => e.file).sort());
  });

  // Project-made dictionaries (e.g. the demo survey) change as the project grows: they are counted here with
  // a plain CSV read, independent of the loader, instead of by hand.
  it.each(allCsvs)('when %s is loaded, then it has no errors and the counts of a plain CSV read', (file) => {
    const [, ...rows] = parse(readFixture(file), { bom: true, relax_column_count: true }) as string[][];
    const forms = [...new Set(rows.map((row) => row[1] ?? ''))];
    const checkboxOptions = rows.filter((row) => row[3] === 'checkbox').flatMap((row) => (row[5] ?? '').split('|'));
    const load = parseDictionary(readFixture(file));
    expect(load.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(load.survey?.fields.filter((f) => !f.formStatus).map((f) => f.name)).toEqual(rows.map((row) => row[0]));
    expect(load.survey?.instruments.map((i) => i.name)).toEqual(forms);
    expect(load.survey?.fields.flatMap((f) => f.checkboxExports)).toHaveLength(checkboxOptions.length);
  });

  it.each(EXPECTED)('when $file is loaded, then it has no errors and its real counts', (expected) => {
    const load = parseDictionary(readFixture(expected.file));
    expect(load.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const survey = load.survey;
    expect(survey).not.toBeNull();
    if (!survey) return;
    const dictionaryFields = survey.fields.filter((f) => !f.formStatus);
    expect(dictionaryFields).toHaveLength(expected.fields);
    expect(survey.instruments.map((i) => i.name)).toEqual(expected.instruments);
    expect(survey.recordIdField).toBe(expected.recordId);
    const exports = survey.fields.flatMap((f) => f.checkboxExports.map((e) => e.exportName));
    expect(exports).toHaveLength(expected.checkboxExports);
    expect(new Set(exports).size).toBe(exports.length);
    expect(exports).toEqual(expect.arrayContaining(expected.someExports));
    const validations = [...new Set(dictionaryFields.flatMap((f) => (f.validation ? [f.validation] : [])))].sort();
    expect(validations).toEqual(expected.validations);
  });

  it.each(EXPECTED)('when $file is loaded, then every instrument ends with its {form}_complete status field', (expected) => {
    const survey = parseDictionary(readFixture(expected.file)).survey;
    for (const instrument of survey?.instruments ?? []) {
      expect(instrument.completeField).toBe(`${instrument.name}_complete`);
      expect(instrument.fields.at(-1)).toBe(`${instrument.name}_complete`);
    }
    expect(survey?.fields.filter((f) => f.formStatus)).toHaveLength(expected.instruments.length);
  });

  it.each(EXPECTED)('when $file is loaded twice, then both loads get the same survey id', ({ file }) => {
    const first = parseDictionary(readFixture(file)).survey?.id;
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(parseDictionary(readFixture(file)).survey?.id).toBe(first);
  });

  it('when CCC19 is loaded, then its misspelled @NOW_UTC tags are warnings naming their lines, not errors', () => {
    const load = parseDictionary(readFixture('ccc19-data-dictionary.csv'));
    const nowUtc = load.diagnostics.filter((d) => d.message.includes('@NOW_UTC'));
    expect(nowUtc.map((d) => [d.severity, d.line, d.field])).toEqual([
      ['warning', 3, 'ts_0'], ['warning', 21, 'ts_1'], ['warning', 83, 'ts_2'],
      ['warning', 229, 'ts_3'], ['warning', 304, 'ts_4'], ['warning', 311, 'ts_5'],
    ]);
  });

  it.each([
    ['location', 18], ['symptoms', 89], ['symptoms_oth_specify', 91], ['symptoms_none_why', 92],
    ['covid_19_treatment', 206], ['mets_sites', 286], ['exclude_confirm_result', 390],
  ])('when CCC19 is loaded, then %s (around multi-line cells) starts on line %i', (name, line) => {
    const survey = parseDictionary(readFixture('ccc19-data-dictionary.csv')).survey;
    expect(survey?.fields.find((f) => f.name === name)?.source).toEqual({ line });
  });
});
