import { describe, expect, it } from 'vitest';
import { RedcapError, type FlatRecord } from '../../src/ports/redcap/index.js';
import {
  TOKEN, longitudinalProject, rejectionOf, repeatingProject, simpleProject, type Harness, withEmulator,
} from './support.js';

async function importError(harness: Harness, rows: FlatRecord[]): Promise<RedcapError> {
  const error = await rejectionOf(harness.client().importRecords(rows));
  if (!(error instanceof RedcapError)) throw error;
  return error;
}

describe('importing into a classic project', () => {
  const harness = withEmulator(() => simpleProject());

  it('when checkbox options are imported as field___code columns, then exactly those options read 1', async () => {
    await expect(harness().client().importRecords([{ record_id: '7', race___2: '1', race___5: '1' }])).resolves.toBe(1);
    const [row] = await harness().client().exportRecords({ records: ['7'], fields: ['race'] });
    expect(row).toEqual({ race___1: '0', race___2: '1', race___3: '0', race___4: '0', race___5: '1', race___6: '0' });
  });

  it('when several rows name two records, then the count is two', async () => {
    const rows = [{ record_id: '1', name_first: 'A' }, { record_id: '2', name_first: 'B' }, { record_id: '1', sex: '1' }];
    await expect(harness().client().importRecords(rows)).resolves.toBe(2);
  });

  it('when a later import leaves a value blank, then the stored value stays (overwriteBehavior=normal)', async () => {
    await harness().client().importRecords([{ record_id: '1', name_first: 'Ada', dob: '1990-12-10', demographics_complete: '0' }]);
    await harness().client().importRecords([{ record_id: '1', name_first: '', demographics_complete: '2' }]);
    const [row] = await harness().client().exportRecords({ records: ['1'], fields: ['record_id', 'name_first', 'dob', 'demographics_complete'] });
    expect(row).toEqual({ record_id: '1', name_first: 'Ada', dob: '1990-12-10', demographics_complete: '2' });
  });

  it.each<[string, string]>([
    ['dob', '2020-02-29'], ['dob', '1999-12-31'], ['sex', '1'], ['race___6', '1'], ['weight', '-3'],
    ['height', '172.5'], ['height', '1.5e2'], ['telephone', '(650) 380-3405'], ['telephone', '650.380.3405'],
    ['email', 'someone@example.org'], ['demographics_complete', '2'], ['name_first', 'Zoë'], ['comments', 'line 1\nline 2'],
  ])('when %s is imported as %j, then REDCap accepts it', async (field, value) => {
    await expect(harness().client().importRecords([{ record_id: '9', [field]: value }])).resolves.toBe(1);
    const [row] = await harness().client().exportRecords({ records: ['9'] });
    expect(row?.[field]).toBe(value);
  });

  it.each<[string, string, RegExp]>([
    ['dob', '2020-02-30', /not a date YYYY-MM-DD/],
    ['dob', '02/03/2020', /not a date YYYY-MM-DD/],
    ['sex', '7', /not a valid category for sex/],
    ['sex', 'Male', /not a valid category for sex/],
    ['race___1', '2', /must be 0 or 1/],
    ['weight', '70.5', /not an integer/],
    ['height', 'tall', /not a number/],
    ['telephone', '555-1234', /not a 10 digit North American phone number/],
    ['email', 'nobody', /not an email address/],
    ['bmi', '22.1', /calculated field and cannot be imported/],
    ['mugshot', 'face.png', /file upload field and cannot be imported/],
    ['demographics_complete', '5', /not a valid category/],
  ])('when %s is imported as %j, then the import fails with a validation problem naming record and field only', async (field, value, reason) => {
    const error = await importError(harness(), [{ record_id: '9', [field]: value }]);
    expect(error).toMatchObject({ kind: 'validation', status: 400 });
    expect(error.problems).toEqual([{ record: '9', field, message: expect.stringMatching(reason) }]);
    expect(error.message).toContain(`record "9" field "${field}"`);
    expect(error.message).not.toContain(value);
  });

  it('when an import is refused, then REDCap\'s body is ERROR: and one "record","field","value","message" line per problem', async () => {
    const body = new URLSearchParams({
      token: TOKEN, content: 'record', format: 'json', returnFormat: 'csv', type: 'flat',
      data: JSON.stringify([{ record_id: '9', dob: '2020-02-30', sex: '7' }]),
    });
    const reply = await fetch(harness().url, { method: 'POST', body });
    expect(reply.status).toBe(400);
    const lines = (await reply.text()).split('\n');
    expect(lines[0]).toMatch(/^ERROR: "9","dob","2020-02-30","[^"]+"$/);
    expect(lines[1]).toMatch(/^"9","sex","7","[^"]+"$/);
  });

  it.each<[string, FlatRecord[], string]>([
    ['an unknown field', [{ record_id: '1', shoe_size: '9' }], 'shoe_size'],
    ['a checkbox column for a code the field does not have', [{ record_id: '1', race___9: '1' }], 'race___9'],
    ['a checkbox field without its ___code', [{ record_id: '1', race: '1' }], 'race'],
    ['an event column in a classic project', [{ record_id: '1', redcap_event_name: 'event_1_arm_1' }], 'redcap_event_name'],
  ])('when the import has %s, then the whole import is refused naming the column', async (_, rows, column) => {
    const error = await importError(harness(), rows);
    expect(error).toMatchObject({ kind: 'validation', status: 400, problems: [] });
    expect(error.message).toContain(`The following fields were not found in the project as real data fields: ${column}`);
  });

  it('when one row of an import is invalid, then no row of it is stored', async () => {
    await importError(harness(), [{ record_id: '1', name_first: 'Ada' }, { record_id: '2', sex: '9' }]);
    await expect(harness().client().exportRecords()).resolves.toEqual([]);
  });

  it('when a row has no record ID, then the problem names the record ID field', async () => {
    const error = await importError(harness(), [{ record_id: '', name_first: 'Ada' }]);
    expect(error.problems).toEqual([{ record: '', field: 'record_id', message: 'The record ID is missing' }]);
  });
});

describe('importing into a longitudinal project', () => {
  const harness = withEmulator(() => longitudinalProject());

  it('when rows name their events, then each lands on its event with redcap_event_name', async () => {
    await expect(harness().client().importRecords([
      { study_id: '3', redcap_event_name: 'enrollment_arm_1', sex: '0', gym___1: '1', gym___4: '1', demographics_complete: '2' },
      { study_id: '3', redcap_event_name: 'visit_1_arm_1', vld1: '3.5' },
    ])).resolves.toBe(1);
    const rows = await harness().client().exportRecords({ fields: ['study_id', 'sex', 'gym', 'vld1', 'demographics_complete'] });
    expect(rows).toEqual([
      { study_id: '3', redcap_event_name: 'enrollment_arm_1', sex: '0', gym___0: '0', gym___1: '1', gym___2: '0', gym___3: '0', gym___4: '1', vld1: '', demographics_complete: '2' },
      { study_id: '3', redcap_event_name: 'visit_1_arm_1', sex: '', gym___0: '', gym___1: '', gym___2: '', gym___3: '', gym___4: '', vld1: '3.5', demographics_complete: '' },
    ]);
  });

  it('when records are exported for one event, then only that event\'s rows come back', async () => {
    await harness().client().importRecords([
      { study_id: '3', redcap_event_name: 'enrollment_arm_1', sex: '1' },
      { study_id: '3', redcap_event_name: 'final_visit_arm_1', complete_study: '1' },
    ]);
    const rows = await harness().client().exportRecords({ events: ['final_visit_arm_1'], fields: ['study_id', 'complete_study'] });
    expect(rows).toEqual([{ study_id: '3', redcap_event_name: 'final_visit_arm_1', complete_study: '1' }]);
  });

  it.each<[string, FlatRecord, string, RegExp]>([
    ['no event', { study_id: '3', sex: '0' }, 'redcap_event_name', /redcap_event_name is missing/],
    ['an unknown event', { study_id: '3', redcap_event_name: 'visit_9_arm_1', sex: '0' }, 'redcap_event_name', /not a valid unique event name/],
    ['a field whose form is not on the event', { study_id: '3', redcap_event_name: 'enrollment_arm_1', vld1: '3.5' }, 'vld1',
      /^This field \('vld1'\) exists on an instrument that is not designated for the event named 'Enrollment \(Arm 1: Arm 1\)'\. You are not allowed to import data for this field into this event\.$/],
  ])('when a row has %s, then the problem is on %s', async (_, row, field, message) => {
    const error = await importError(harness(), [row]);
    expect(error.problems).toEqual([{ record: '3', field, message: expect.stringMatching(message) }]);
  });
});

describe('importing into a project with a repeating instrument', () => {
  const harness = withEmulator(() => repeatingProject());

  it('when instances are imported, then each is its own row with redcap_repeat_instrument and redcap_repeat_instance', async () => {
    await expect(harness().client().importRecords([
      { record_id: '1', sex: '1' },
      { record_id: '1', redcap_repeat_instrument: 'bp', redcap_repeat_instance: '1', date_bp: '2026-01-02', bp_systolic: '120' },
      { record_id: '1', redcap_repeat_instrument: 'bp', redcap_repeat_instance: '2', date_bp: '2026-02-02', bp_systolic: '118' },
    ])).resolves.toBe(1);
    const rows = await harness().client().exportRecords({ fields: ['record_id', 'sex', 'bp_systolic'] });
    expect(rows).toEqual([
      { record_id: '1', redcap_repeat_instrument: '', redcap_repeat_instance: '', sex: '1', bp_systolic: '' },
      { record_id: '1', redcap_repeat_instrument: 'bp', redcap_repeat_instance: '1', sex: '', bp_systolic: '120' },
      { record_id: '1', redcap_repeat_instrument: 'bp', redcap_repeat_instance: '2', sex: '', bp_systolic: '118' },
    ]);
  });

  it('when the instance is "new", then it gets the next free instance number', async () => {
    const row = { record_id: '1', redcap_repeat_instrument: 'bp', redcap_repeat_instance: 'new', bp_systolic: '130' };
    await harness().client().importRecords([{ ...row, redcap_repeat_instance: '1' }]);
    await harness().client().importRecords([row, { ...row, bp_systolic: '131' }]);
    const rows = await harness().client().exportRecords({ fields: ['record_id', 'bp_systolic'] });
    expect(rows.map((r) => [r.redcap_repeat_instance, r.bp_systolic])).toEqual([['1', '130'], ['2', '130'], ['3', '131']]);
  });

  it.each<[string, FlatRecord, string, RegExp]>([
    ['a repeating field without repeat columns', { record_id: '1', bp_systolic: '120' }, 'bp_systolic', /on the repeating instrument 'bp'/],
    ['another form\'s field in a repeat row', { record_id: '1', redcap_repeat_instrument: 'bp', redcap_repeat_instance: '1', sex: '1' }, 'sex', /not on the repeating instrument 'bp'/],
    ['a form that does not repeat', { record_id: '1', redcap_repeat_instrument: 'demographics', redcap_repeat_instance: '1' }, 'redcap_repeat_instrument', /not a repeating instrument/],
    ['an instance that is not a number', { record_id: '1', redcap_repeat_instrument: 'bp', redcap_repeat_instance: 'first' }, 'redcap_repeat_instance', /positive whole number or "new"/],
    ['an instance without an instrument', { record_id: '1', redcap_repeat_instance: '2', sex: '1' }, 'redcap_repeat_instance', /redcap_repeat_instrument is blank/],
  ])('when a row has %s, then the problem is on %s', async (_, row, field, message) => {
    const error = await importError(harness(), [row]);
    expect(error.problems).toEqual([{ record: '1', field, message: expect.stringMatching(message) }]);
  });
});
