/**
 * The emulator answers as REDCap does, through its real HTTP API: exportFieldNames, record export
 * parameters (filterLogic, fields/forms, rawOrLabel, exportSurveyFields, dateRange), metadata filters,
 * CSV, dateFormat on import and calculated fields recomputed on import. Bad parameters get REDCap's
 * error JSON and change nothing.
 */
import { describe, expect, it, vi } from 'vitest';
import { RecordStore } from '../../src/demo/redcap-emulator/record-store.js';
import { designerCsv } from '../dictionary/helpers.js';
import { TOKEN, longitudinalProject, simpleProject, type Harness, withEmulator } from './support.js';

type Params = Record<string, string | readonly string[]>;

/** One API call as any REDCap client sends it: a form-encoded POST, lists as `name[i]`. */
async function call(harness: Harness, params: Params): Promise<{ status: number; type: string; body: string }> {
  const body = new URLSearchParams({ token: TOKEN, format: 'json', returnFormat: 'json' });
  for (const [name, value] of Object.entries(params)) {
    if (typeof value === 'string') body.set(name, value);
    else value.forEach((item, index) => body.append(`${name}[${index}]`, item));
  }
  const reply = await fetch(harness.url, { method: 'POST', body });
  return { status: reply.status, type: reply.headers.get('content-type') ?? '', body: await reply.text() };
}

async function records(harness: Harness, params: Params = {}): Promise<Record<string, unknown>[]> {
  const reply = await call(harness, { content: 'record', type: 'flat', ...params });
  expect(reply.status).toBe(200);
  return JSON.parse(reply.body) as Record<string, unknown>[];
}

async function importRows(harness: Harness, rows: unknown[], params: Params = {}): Promise<{ status: number; body: string }> {
  return call(harness, { content: 'record', type: 'flat', data: JSON.stringify(rows), ...params });
}

const SEED = [
  { record_id: '1', name_first: 'Ada', sex: '0', dob: '1990-12-10', race___2: '1', race___5: '1', demographics_complete: '2', height: '170', weight: '70' },
  { record_id: '2', name_first: 'Bo', sex: '1', dob: '1960-01-31', race___5: '1', height: '180' },
  { record_id: '3', name_first: 'Cy', sex: '1', ethnicity: '2' },
];

describe('exportFieldNames', () => {
  const harness = withEmulator(() => simpleProject());

  it('when the field names are exported, then calc, file and descriptive fields are left out, and checkboxes list one row per option', async () => {
    const reply = await call(harness(), { content: 'exportFieldNames' });
    const names = (JSON.parse(reply.body) as { export_field_name: string }[]).map((row) => row.export_field_name);
    expect(names).not.toContain('bmi');
    expect(names).not.toContain('mugshot');
    expect(names).toEqual(expect.arrayContaining(['record_id', 'height', 'weight', 'race___1', 'race___6']));
  });

  it.each([['bmi'], ['mugshot']])('when the field %s (not importable) is asked for by name, then the list is empty', async (field) => {
    const reply = await call(harness(), { content: 'exportFieldNames', field });
    expect(JSON.parse(reply.body)).toEqual([]);
  });
});

describe('record export parameters', () => {
  const harness = withEmulator(() => simpleProject({ records: SEED }));

  it.each<[string, string, string[]]>([
    ['a radio code', "[sex] = '1'", ['2', '3']],
    ['a checkbox option', "[race(5)] = '1'", ['1', '2']],
    ['a checkbox option never saved (reads 0)', "[race(1)] = '0'", ['1', '2', '3']],
    ['a date comparison', "[dob] < '1980-01-01'", ['2']],
    ['and/or with a blank', "[ethnicity] = '' and [sex] = '1'", ['2']],
    ['the record ID', "[record_id] <> '2'", ['1', '3']],
    ['a function', "datediff([dob], '2026-01-01', 'y') > 60", ['2']],
    ['a calculated field (recomputed on import)', '[bmi] > 20', ['1']],
  ])('when filterLogic reads %s (%s), then only matching records come back', async (_, filterLogic, expected) => {
    const rows = await records(harness(), { filterLogic, fields: ['record_id'] });
    expect(rows.map((row) => row.record_id)).toEqual(expected);
  });

  it.each<[string, Params, string[]]>([
    ['forms', { forms: ['race_and_ethnicity'] }, ['race___1', 'race___2', 'race___3', 'race___4', 'race___5', 'race___6', 'ethnicity', 'race_and_ethnicity_complete']],
    ['forms with the record ID form', { forms: ['demographics'] }, ['record_id', 'name_first', 'name_last', 'address', 'telephone', 'email', 'dob', 'age', 'sex', 'demographics_complete']],
    ['fields and forms together (their union)', { fields: ['record_id', 'bmi'], forms: ['race_and_ethnicity'] },
      ['record_id', 'bmi', 'race___1', 'race___2', 'race___3', 'race___4', 'race___5', 'race___6', 'ethnicity', 'race_and_ethnicity_complete']],
    ['exportSurveyFields', { fields: ['record_id', 'sex', 'height'], exportSurveyFields: 'true' },
      ['record_id', 'redcap_survey_identifier', 'demographics_timestamp', 'sex', 'health_timestamp', 'height']],
  ])('when the export gives %s, then the columns are exactly REDCap\'s', async (_, params, columns) => {
    const [row] = await records(harness(), { records: ['1'], ...params });
    expect(Object.keys(row ?? {})).toEqual(columns);
  });

  it.each<[string, Params, Record<string, string>]>([
    ['raw values', {}, { sex: '0', race___2: '1', race___1: '0', demographics_complete: '2' }],
    ['rawOrLabel=label', { rawOrLabel: 'label' }, { sex: 'Female', race___2: 'Checked', race___1: 'Unchecked', demographics_complete: 'Complete' }],
    ['rawOrLabel=label and exportCheckboxLabel=true', { rawOrLabel: 'label', exportCheckboxLabel: 'true' }, { sex: 'Female', race___2: 'Asian', race___1: '' }],
  ])('when record 1 is exported with %s, then values read as REDCap writes them', async (_, params, expected) => {
    const [row] = await records(harness(), { records: ['1'], fields: ['sex', 'race', 'demographics_complete'], ...params });
    expect(row).toMatchObject(expected);
  });

  it.each<[string, Params, string[]]>([
    ['a begin in the past', { dateRangeBegin: '2000-01-01 00:00:00' }, ['1', '2', '3']],
    ['a begin in the future', { dateRangeBegin: '2999-01-01 00:00:00' }, []],
    ['an end in the past', { dateRangeEnd: '2000-01-01 00:00:00' }, []],
    ['an end in the future, date only', { dateRangeEnd: '2999-12-31' }, ['1', '2', '3']],
  ])('when the date range has %s, then the records created or modified inside it come back', async (_, params, expected) => {
    const rows = await records(harness(), { fields: ['record_id'], ...params });
    expect(rows.map((row) => row.record_id)).toEqual(expected);
  });

  it('when a record is modified after a moment, then dateRangeBegin at that moment returns only it', async () => {
    await new Promise((resolve) => { setTimeout(resolve, 1_100); });
    // Whole seconds, as the parameter is written: still after the seed records were written.
    const moment = new Date().toISOString().slice(0, 19).replace('T', ' ');
    await importRows(harness(), [{ record_id: '2', name_last: 'Later' }]);
    const rows = await records(harness(), { fields: ['record_id'], dateRangeBegin: moment });
    expect(rows.map((row) => row.record_id)).toEqual(['2']);
  });

  it.each<[string, Params, RegExp]>([
    ['filterLogic that does not parse', { filterLogic: "[sex] = = '1'" }, /filterLogic is not valid logic/],
    ['filterLogic naming an unknown field', { filterLogic: "[shoe] = '1'" }, /not in the project: shoe/],
    ['an unknown form', { forms: ['nope'] }, /parameter forms are not valid: 'nope'/],
    ['an unknown field', { fields: ['nope'] }, /parameter fields are not valid: 'nope'/],
    ['a bad rawOrLabel', { rawOrLabel: 'labels' }, /"rawOrLabel" is not valid/],
    ['a bad exportSurveyFields', { exportSurveyFields: 'yes' }, /"exportSurveyFields" is not valid/],
    ['a bad dateRangeBegin', { dateRangeBegin: '2026-02-30 10:00:00' }, /"dateRangeBegin" is not a valid timestamp/],
    ['a bad dateRangeEnd', { dateRangeEnd: 'yesterday' }, /"dateRangeEnd" is not a valid timestamp/],
    ['format=xml', { format: 'xml' }, /format=json only or format=csv/],
  ])('when the export has %s, then REDCap answers 400 with an error message', async (_, params, message) => {
    const reply = await call(harness(), { content: 'record', ...params });
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body)).toEqual({ error: expect.stringMatching(message) });
  });
});

describe('CSV', () => {
  const harness = withEmulator(() => simpleProject({ records: SEED }));

  it.each<[string, Params, string]>([
    ['raw headers', { fields: ['record_id', 'name_first', 'sex', 'race'] },
      'record_id,name_first,sex,race___1,race___2,race___3,race___4,race___5,race___6\n1,Ada,0,0,1,0,0,1,0\n'],
    ['label values and headers', { fields: ['record_id', 'sex', 'race'], rawOrLabel: 'label', rawOrLabelHeaders: 'label' },
      'Study ID,Gender,Race (Select all that apply) (choice=American Indian/Alaska Native),Race (Select all that apply) (choice=Asian),'
      + 'Race (Select all that apply) (choice=Native Hawaiian or Other Pacific Islander),Race (Select all that apply) (choice=Black or African American),'
      + 'Race (Select all that apply) (choice=White),Race (Select all that apply) (choice=Unknown / Not Reported)\n'
      + '1,Female,Unchecked,Checked,Unchecked,Unchecked,Checked,Unchecked\n'],
  ])('when records are exported as CSV with %s, then the body is that table', async (_, params, expected) => {
    const reply = await call(harness(), { content: 'record', format: 'csv', records: ['1'], ...params });
    expect(reply).toMatchObject({ status: 200, type: expect.stringMatching(/^text\/csv/), body: expected });
  });

  it('when a value holds a comma, a quote or a line break, then its cell is quoted', async () => {
    await importRows(harness(), [{ record_id: '9', address: 'Flat 2, "The Mews"\nLeeds' }]);
    const reply = await call(harness(), { content: 'record', format: 'csv', records: ['9'], fields: ['record_id', 'address'] });
    expect(reply.body).toBe('record_id,address\n9,"Flat 2, ""The Mews""\nLeeds"\n');
  });

  it('when metadata is exported as CSV, then the header is the 18 API keys and each field a row', async () => {
    const reply = await call(harness(), { content: 'metadata', format: 'csv', fields: ['sex'] });
    expect(reply.body.split('\n')[0]).toBe('field_name,form_name,section_header,field_type,field_label,select_choices_or_calculations,field_note,'
      + 'text_validation_type_or_show_slider_number,text_validation_min,text_validation_max,identifier,branching_logic,required_field,'
      + 'custom_alignment,question_number,matrix_group_name,matrix_ranking,field_annotation');
    expect(reply.body.split('\n')[1]).toBe('sex,demographics,,radio,Gender,"0, Female | 1, Male",,,,,,,,,,,,');
  });

  it('when records are imported as CSV, then they are stored as from JSON', async () => {
    const reply = await call(harness(), { content: 'record', format: 'csv', type: 'flat', data: 'record_id,name_first,sex\n7,"Di, Jr",1\n' });
    expect(reply).toMatchObject({ status: 200, body: '{"count":1}' });
    const [row] = await records(harness(), { records: ['7'], fields: ['name_first', 'sex'] });
    expect(row).toEqual({ name_first: 'Di, Jr', sex: '1' });
  });

  it('when a CSV import is malformed, then it is refused and nothing is stored', async () => {
    const reply = await call(harness(), { content: 'record', format: 'csv', type: 'flat', data: 'record_id,sex\n8,1,extra\n' });
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body)).toEqual({ error: expect.stringMatching(/not valid CSV/) });
    expect(await records(harness(), { records: ['8'] })).toEqual([]);
  });
});

describe('metadata export parameters', () => {
  const harness = withEmulator(() => simpleProject());

  it.each<[string, Params, string[]]>([
    ['nothing', {}, ['record_id', 'name_first']],
    ['fields', { fields: ['sex', 'bmi'] }, ['sex', 'bmi']],
    ['forms', { forms: ['race_and_ethnicity'] }, ['race', 'ethnicity']],
    ['fields and forms', { fields: ['sex'], forms: ['race_and_ethnicity'] }, ['sex', 'race', 'ethnicity']],
  ])('when metadata is exported with %s, then those fields come back in dictionary order', async (_, params, expected) => {
    const reply = await call(harness(), { content: 'metadata', ...params });
    const names = (JSON.parse(reply.body) as { field_name: string }[]).map((row) => row.field_name);
    expect(Object.keys(params).length === 0 ? names.slice(0, 2) : names).toEqual(expected);
  });

  it.each<[string, Params, RegExp]>([
    ['an unknown field', { fields: ['nope'] }, /parameter fields are not valid: 'nope'/],
    ['an unknown form', { forms: ['nope'] }, /parameter forms are not valid: 'nope'/],
  ])('when metadata is asked with %s, then REDCap answers 400 with an error message', async (_, params, message) => {
    const reply = await call(harness(), { content: 'metadata', ...params });
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body)).toEqual({ error: expect.stringMatching(message) });
  });
});

describe('import dateFormat', () => {
  const harness = withEmulator(() => simpleProject());

  it.each<[string, string, string]>([
    ['YMD', '1990-12-10', '1990-12-10'],
    ['MDY', '12/10/1990', '1990-12-10'],
    ['MDY', '2-3-1990', '1990-02-03'],
    ['DMY', '10/12/1990', '1990-12-10'],
    ['DMY', '3/2/1990', '1990-02-03'],
  ])('when dateFormat=%s and the date is %j, then REDCap stores %j', async (dateFormat, value, stored) => {
    expect((await importRows(harness(), [{ record_id: '1', dob: value }], { dateFormat })).status).toBe(200);
    const [row] = await records(harness(), { records: ['1'], fields: ['dob'] });
    expect(row).toEqual({ dob: stored });
  });

  it.each<[string, string, number, RegExp]>([
    ['MDY', '13/10/1990', 400, /not a date YYYY-MM-DD/],
    ['DMY', '10/13/1990', 400, /not a date YYYY-MM-DD/],
    ['YMD', '12/10/1990', 400, /not a date YYYY-MM-DD/],
    ['MYD', '1990-12-10', 400, /"dateFormat" is not valid/],
  ])('when dateFormat=%s and the date is %j, then the import is refused and nothing is stored', async (dateFormat, value, status, message) => {
    const reply = await importRows(harness(), [{ record_id: '1', dob: value }], { dateFormat });
    expect(reply.status).toBe(status);
    expect(JSON.parse(reply.body)).toEqual({ error: expect.stringMatching(message) });
    expect(await records(harness(), { records: ['1'] })).toEqual([]);
  });

  it('when survey columns are imported, then REDCap ignores them', async () => {
    const reply = await importRows(harness(), [{ record_id: '1', redcap_survey_identifier: 'x', demographics_timestamp: '2026-01-01 10:00:00', sex: '1' }]);
    expect(reply.status).toBe(200);
    expect(await records(harness(), { records: ['1'], fields: ['sex'] })).toEqual([{ sex: '1' }]);
  });
});

describe('calculated fields are recomputed on import', () => {
  const harness = withEmulator(() => simpleProject());

  it.each<[string, Record<string, string>[], string]>([
    ['both operands', [{ record_id: '1', height: '170', weight: '70' }], '24.2'],
    ['one operand blank', [{ record_id: '1', height: '170' }], ''],
    ['operands from two imports', [{ record_id: '1', height: '200' }, { record_id: '1', weight: '100' }], '25'],
  ])('when the import gives %s, then the stored BMI is %j', async (_, rows, bmi) => {
    for (const row of rows) await importRows(harness(), [row]);
    const [row] = await records(harness(), { records: ['1'], fields: ['bmi'] });
    expect(row).toEqual({ bmi });
  });

  it('when one record is imported into a project holding others, then only its rows are read, not the project\'s', async () => {
    await importRows(harness(), [{ record_id: '1', height: '170', weight: '70' }, { record_id: '2', height: '180' }, { record_id: '3', height: '160' }]);
    const listed = vi.spyOn(RecordStore.prototype, 'list');
    try {
      await importRows(harness(), [{ record_id: '2', weight: '81' }]);
      expect(listed).not.toHaveBeenCalled();
    } finally {
      listed.mockRestore();
    }
    const [row] = await records(harness(), { records: ['2'], fields: ['bmi'] });
    expect(row).toEqual({ bmi: '25' });
  });

  it('when a calc field itself is imported, then the import is refused (calc fields cannot be imported)', async () => {
    const reply = await importRows(harness(), [{ record_id: '1', bmi: '99' }]);
    expect(reply.status).toBe(400);
  });
});

describe('@CALCTEXT and @CALCDATE are recomputed on import', () => {
  const harness = withEmulator(() => ({
    token: TOKEN,
    projectId: 31,
    dictionary: designerCsv(
      ['record_id', 'f', '', 'text', 'ID'],
      ['score', 'f', '', 'text', 'Score', '', '', 'integer'],
      ['band', 'f', '', 'text', 'Band', '', '', '', '', '', '', '', '', '', '', '', '', '@CALCTEXT(if([score] >= 10, "high", "low"))'],
      ['start', 'f', '', 'text', 'Start', '', '', 'date_ymd'],
      ['due', 'f', '', 'text', 'Due', '', '', 'date_ymd', '', '', '', '', '', '', '', '', '', '@CALCDATE([start], 14, "d")'],
    ),
  }));

  it.each<[Record<string, string>, Record<string, string>]>([
    [{ score: '12', start: '2026-03-01' }, { band: 'high', due: '2026-03-15' }],
    [{ score: '3' }, { band: 'low', due: '' }],
  ])('when %j is imported, then the computed fields read %j', async (values, expected) => {
    await importRows(harness(), [{ record_id: '1', ...values }]);
    const [row] = await records(harness(), { records: ['1'], fields: ['band', 'due'] });
    expect(row).toEqual(expected);
  });
});

describe('labels in a longitudinal project', () => {
  const harness = withEmulator(() => longitudinalProject({
    records: [{ study_id: '3', redcap_event_name: 'enrollment_arm_1', sex: '0' }],
  }));

  it('when exported with rawOrLabel=label, then the event reads as its label', async () => {
    const [row] = await records(harness(), { fields: ['study_id', 'sex'], rawOrLabel: 'label' });
    expect(row).toEqual({ study_id: '3', redcap_event_name: 'Enrollment (Arm 1: Arm 1)', sex: 'Female' });
  });

  it('when filterLogic names another event\'s field, then it reads that event', async () => {
    await importRows(harness(), [{ study_id: '3', redcap_event_name: 'visit_1_arm_1', vld1: '3.5' }]);
    const rows = await records(harness(), { fields: ['study_id'], filterLogic: "[enrollment_arm_1][sex] = '0'" });
    expect(rows.map((row) => row.redcap_event_name)).toEqual(['enrollment_arm_1', 'visit_1_arm_1']);
  });
});
