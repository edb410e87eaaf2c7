/** `checkDictionary` and `redcap-sms dictionary check`: the report, its JSON shape and the exit codes. */
import { describe, expect, it } from 'vitest';
import { checkDictionary } from '../../src/checks/check-dictionary.js';
import { smsAskability } from '../../src/dictionary/index.js';
import { runCli } from '../../src/cli/program.js';
import type { CliIo } from '../../src/cli/io.js';
import { designerCsv, field, fixturePath, loadSurvey, readFixture } from './helpers.js';

function bufferIo(): CliIo & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return {
    out: (text) => { out += text; },
    err: (text) => { err += text; },
    env: {},
    cwd: process.cwd(),
    stdout: () => out,
    stderr: () => err,
  };
}

async function run(...argv: string[]) {
  const io = bufferIo();
  const code = await runCli(argv, io);
  return { code, out: io.stdout(), err: io.stderr() };
}

describe('smsAskability', () => {
  const survey = loadSurvey(designerCsv(
    ['record_id', 'f', '', 'text', 'ID'],
    ['doc', 'f', '', 'file', 'Upload'],
    ['sig', 'f', '', 'file', 'Sign', '', '', 'signature'],
    ['q', 'f', '', 'sql', 'Pick', 'select 1'],
    ['dd', 'f', '', 'dropdown', 'Pick'],
    ['cb', 'f', '', 'checkbox', 'Pick', '1, A'],
  ));
  it.each([
    ['doc', /file upload/], ['sig', /signature/], ['q', /sql field/], ['dd', /dropdown field without choices/],
  ])('when the field is %s, then it cannot be asked by SMS', (name, reason) => {
    expect(smsAskability(field(survey, name))).toEqual({ askable: false, reason: expect.stringMatching(reason) });
  });
  it.each(['record_id', 'cb', 'f_complete'])('when the field is %s, then it can be asked', (name) => {
    expect(smsAskability(field(survey, name))).toEqual({ askable: true });
  });
});

describe('checkDictionary', () => {
  it('when redcapr-simple is checked, then the report counts instruments, types and unaskable fields', () => {
    const report = checkDictionary(readFixture('redcapr-simple.csv'), 'csv');
    expect(report).toMatchObject({
      recordIdField: 'record_id',
      fieldCount: 16,
      fieldTypes: { text: 9, notes: 2, radio: 2, calc: 1, file: 1, checkbox: 1 },
      validationTypes: { phone: 1, email: 1, date_ymd: 1, number: 1, integer: 1 },
      errors: [],
      warnings: [],
      instruments: [
        { name: 'demographics', fields: 9, askable: 8, notAskable: [], notAsked: [{ field: 'record_id', reason: expect.stringMatching(/record ID/) }] },
        {
          name: 'health', fields: 5, askable: 3,
          notAskable: [{ field: 'mugshot', reason: expect.stringMatching(/file upload/) }],
          notAsked: [{ field: 'bmi', reason: expect.stringMatching(/calculated field/) }],
        },
        { name: 'race_and_ethnicity', fields: 2, askable: 2, notAskable: [], notAsked: [] },
      ],
    });
    expect(report.surveyId).toMatch(/^[0-9a-f]{64}$/);
    expect(report.checkboxExportNames).toEqual(['race___1', 'race___2', 'race___3', 'race___4', 'race___5', 'race___6']);
  });

  it('when a dictionary uses action tags redcap-sms does not honour, then the report lists each use as a warning', () => {
    const report = checkDictionary(designerCsv(
      ['record_id', 'f', '', 'text', 'ID'],
      ['fruit', 'f', '', 'radio', 'Fruit', '1, Apple | 2, Pear', '', '', '', '', '', '', '', '', '', '', '', '@RANDOMORDER @HIDDEN-FORM'],
      ['lang', 'f', '', 'text', 'Language', '', '', '', '', '', '', '', '', '', '', '', '', '@LANGUAGE-CURRENT-SURVEY @HIDDEN'],
      ['stamp', 'f', '', 'text', 'When', '', '', '', '', '', '', '', '', '', '', '', '', '@NOW-UTC @SETVALUE="x" @HIDDEN'],
    ));
    expect(report.errors).toEqual([]);
    expect(report.warnings.map((w) => [w.line, w.field, w.column, w.message])).toEqual([
      [3, 'fruit', 'Field Annotation', '@RANDOMORDER is not supported by redcap-sms: the choices are sent in dictionary order'],
      [4, 'lang', 'Field Annotation', "@LANGUAGE-CURRENT-SURVEY is not supported by redcap-sms: name the field as the project's `languageField` instead: redcap-sms reads the participant's language from it and writes a language switch back to it"],
    ]);
  });

  it('when a bad dictionary is checked, then errors are listed and there is no survey id', () => {
    const report = checkDictionary(readFixture('bad/split-form.csv'));
    expect(report).toMatchObject({ surveyId: null, recordIdField: null, instruments: [], fieldCount: 0 });
    expect(report.errors).toHaveLength(1);
  });
});

describe('redcap-sms dictionary check', () => {
  it('when the dictionary is fine, then it prints a summary and exits 0', async () => {
    const { code, out } = await run('dictionary', 'check', fixturePath('redcapr-validation-types-1.csv'));
    expect(code).toBe(0);
    expect(out).toContain('50 fields in 1 instruments, 0 with branching logic');
    expect(out).toContain('form_1: 50 fields, 44 asked by SMS, 0 with branching logic');
    expect(out).toMatch(/not asked: f_calculated \(calculated field/);
    expect(out).toMatch(/not askable: f_signature \(signature field/);
    expect(out).toMatch(/not askable: f_sql \(sql field/);
  });

  it('when the dictionary has only warnings, then it exits 0 and lists them', async () => {
    const { code, out } = await run('dictionary', 'check', fixturePath('ccc19-data-dictionary.csv'));
    expect(code).toBe(0);
    expect(out).toContain('Warnings (6):');
    expect(out).toContain('line 3, field ts_0, column "Field Annotation": unknown action tag @NOW_UTC; it is ignored');
  });

  it('when the dictionary has errors, then each is printed with line, field and column, and it exits 1', async () => {
    const { code, out } = await run('dictionary', 'check', fixturePath('bad/many-errors.csv'));
    expect(code).toBe(1);
    expect(out).toContain('Errors (4):');
    expect(out).toContain('line 7, field dup, column "Field Type": unknown field type "wrongtype"');
    expect(out).toContain('line 9, field n, column "Text Validation Min": the minimum 5 is above the maximum 1');
    expect(out).not.toMatch(/\n\s+at /);
  });

  it('when --json is given, then one JSON object with the report shape is printed', async () => {
    const { code, out } = await run('dictionary', 'check', fixturePath('redcapr-simple.metadata.json'), '--json');
    expect(code).toBe(0);
    const report = JSON.parse(out) as Record<string, unknown>;
    expect(Object.keys(report)).toEqual(expect.arrayContaining(
      ['surveyId', 'recordIdField', 'instruments', 'fieldCount', 'fieldTypes', 'errors', 'warnings']));
    expect(report).toMatchObject({ recordIdField: 'record_id', fieldCount: 16, surveyId: checkDictionary(readFixture('redcapr-simple.csv')).surveyId });
  });

  it('when --json is given for a bad file, then errors are in the JSON and it exits 1', async () => {
    const { code, out } = await run('dictionary', 'check', '--json', fixturePath('bad/wrong-shape.json'));
    expect(code).toBe(1);
    const report = JSON.parse(out) as { errors: { index: number }[] };
    expect(report.errors.map((e) => e.index)).toEqual([1, 2, 3]);
  });

  it.each([
    [['dictionary', 'check', 'no-such-file.csv'], /no such file: no-such-file\.csv/],
    [['dictionary', 'check'], /missing required argument/],
    [['dictionary', 'check', fixturePath('redcapr-simple.csv'), '--jsn'], /unknown option '--jsn'/],
    [['dictionary', 'check', fixturePath('')], /is a directory/],
  ])('when the command line is %j, then it exits 2 with a usage error', async (argv, message) => {
    const { code, err } = await run(...argv);
    expect(code).toBe(2);
    expect(err).toMatch(message);
  });
});

describe('dictionary check counts what is asked by SMS', () => {
  // Counted independently from the CSV: askable = not the record ID, descriptive or calc, not a file or
  // sql field or a choice field without choices, and no @HIDDEN(-SURVEY), @READONLY(-SURVEY),
  // @NOW/@TODAY (any clock), @CALCTEXT or @CALCDATE in the annotation.
  it.each<[string, number, [string, number, number, number][]]>([
    ['redcapr-simple.csv', 0, [['demographics', 9, 8, 0], ['health', 5, 3, 0], ['race_and_ethnicity', 2, 2, 0]]],
    ['ccc19-data-dictionary.csv', 285, [
      ['screening_form', 18, 10, 15], ['patient_demographics', 59, 51, 27], ['covid19_details', 139, 135, 117],
      ['cancer_details', 74, 66, 62], ['respondent_details', 7, 5, 3], ['followup', 73, 71, 60], ['manual_exclude', 5, 5, 1],
    ]],
    ['redcapr-longitudinal.csv', 2, [
      ['demographics', 24, 21, 2], ['contact_info', 6, 6, 0], ['baseline_data', 8, 7, 0], ['visit_lab_data', 5, 5, 0],
      ['patient_morale_questionnaire', 4, 4, 0], ['visit_blood_workup', 9, 9, 0], ['visit_observed_behavior', 14, 14, 0],
      ['completion_data', 12, 12, 0], ['completion_project_questionnaire', 13, 13, 0],
    ]],
    ['redcapr-survey.csv', 0, [
      ['prescreening_survey', 5, 4, 0], ['participant_info_survey', 9, 9, 0], ['participant_morale_questionnaire', 4, 4, 0], ['completion_data', 7, 7, 0],
    ]],
    ['redcapr-validation-types-1.csv', 0, [['form_1', 50, 44, 0]]],
  ])('when %s is checked, then %i fields have branching logic and each instrument counts [name, fields, asked, branching]', (file, branching, instruments) => {
    const report = checkDictionary(readFixture(file), 'csv');
    expect(report.branchingCount).toBe(branching);
    expect(report.instruments.map((i) => [i.name, i.fields, i.askable, i.branching])).toEqual(instruments);
    for (const instrument of report.instruments) {
      expect(instrument.askable + instrument.notAskable.length + instrument.notAsked.length).toBe(instrument.fields);
    }
  });

  it('when a dictionary embeds fields, then the check lists each with its host and says how SMS asks it', async () => {
    const report = checkDictionary(readFixture('embedding-demo.csv'), 'csv');
    expect(report.instruments[0]?.embedded).toEqual([
      { field: 'bp_sys', host: 'bp_intro' }, { field: 'bp_dia', host: 'bp_intro' }, { field: 'weight_unit', host: 'weight' },
      { field: 'cigs', host: 'smoke' }, { field: 'packs', host: 'pack_note' },
    ]);
    expect(report.warnings).toEqual([expect.objectContaining({ field: 'mood', message: expect.stringMatching(/\{weight_unit\} is already embedded in weight/) })]);
    const { out } = await run('dictionary', 'check', fixturePath('embedding-demo.csv'));
    expect(out).toContain('embedded: bp_sys in bp_intro (asked right after bp_intro; its {placeholder} shows the answer, or ______ until then)');
  });
});

describe('redcap-sms dictionary check --mlm', () => {
  const translation = (name: string) => fixturePath(`../translations/${name}`);

  it('when MLM exports are given, then each language is costed and the texts that go to UCS-2 are named', async () => {
    const { code, out } = await run('dictionary', 'check', fixturePath('demo-phq.csv'), '--mlm', translation('demo-phq.es.json'), `ar=${translation('demo-phq.ar.csv')}`);
    expect(code).toBe(0);
    expect(out).toContain('default phq: 8 segments per survey, at most 2 per question');
    expect(out).toContain('es phq: 16 segments per survey, at most 4 per question');
    expect(out).toContain('UCS-2 (70 characters a segment): phq1 choice 2, for "á"');
    expect(out).toContain('UCS-2 (70 characters a segment): survey title, for "ا"');
    expect(out).toContain('UCS-2 (70 characters a segment): hint.skip, for "أ"');
  });

  it('when --json is given, then the costs by language and the translation errors are in the JSON', async () => {
    const { out } = await run('dictionary', 'check', fixturePath('demo-phq.csv'), '--json', '--mlm', translation('demo-phq.es.json'));
    const report = JSON.parse(out) as { languages: { language: string; instruments: { instrument: string; totalSegments: number; ucs2: unknown[] }[] }[]; translationErrors: string[] };
    expect(report.languages.map((l) => l.language)).toEqual(['default', 'es']);
    expect(report.languages[1]?.instruments.find((i) => i.instrument === 'phq')?.ucs2).toContainEqual({ text: 'phq_intro label', character: 'ú' });
    expect(report.translationErrors).toEqual([]);
  });

  it('when an export names a field the dictionary lacks, then the error names the file and item, and it exits 1', async () => {
    const bad = await run('dictionary', 'check', fixturePath('redcapr-simple.csv'), '--mlm', translation('demo-phq.es.json'));
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('demo-phq.es.json: fieldTranslations[0] (phq_intro).label: unknown field "phq_intro"');
    expect(bad.out).toContain('error(s): fix them in the dictionary or its translations and check again.');
  });

  it('when a CSV export is given without its language, then it exits 2 and says how to name it', async () => {
    const { code, err } = await run('dictionary', 'check', fixturePath('demo-phq.csv'), '--mlm', translation('demo-phq.ar.csv'));
    expect(code).toBe(2);
    expect(err).toMatch(/a CSV export names no language; write it as es=/);
  });
});
