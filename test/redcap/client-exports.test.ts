import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLUMN_KEYS } from '../../src/dictionary/columns.js';
import { longitudinalProject, simpleProject, startEmulator, type Harness } from './support.js';

describe('REDCap client exports from a classic project', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startEmulator([simpleProject({
      records: [{ record_id: '1', name_first: 'Nutmeg', sex: '0', race___2: '1', demographics_complete: '2' }],
    })]);
  });
  afterAll(() => harness.close());

  it('when metadata is exported, then every row has the 18 dictionary keys as strings', async () => {
    const rows = await harness.client().exportMetadata();
    expect(rows.map((row) => row.field_name)).toContain('record_id');
    for (const row of rows) {
      expect(Object.keys(row).sort()).toEqual([...COLUMN_KEYS].sort());
      expect(Object.values(row).every((value) => typeof value === 'string')).toBe(true);
    }
  });

  it('when project info is exported, then ids and flags are numbers', async () => {
    const info = await harness.client().exportProjectInfo();
    expect(info).toMatchObject({ project_id: 17, is_longitudinal: 0, has_repeating_instruments_or_events: 0 });
  });

  it('when instruments are exported, then each has a name and a label', async () => {
    const instruments = await harness.client().exportInstruments();
    expect(instruments.map((i) => i.instrument_name)).toEqual(['demographics', 'health', 'race_and_ethnicity']);
    expect(instruments[0]).toEqual({ instrument_name: 'demographics', instrument_label: 'Demographics' });
  });

  it.each([
    ['events', (h: Harness) => h.client().exportEvents()],
    ['form-event mapping', (h: Harness) => h.client().exportFormEventMapping()],
  ])('when %s are exported from a classic project, then the answer is empty rather than an error', async (_, call) => {
    await expect(call(harness)).resolves.toEqual([]);
  });

  it('when field names are exported, then a checkbox gives one `field___code` row per option', async () => {
    const names = await harness.client().exportFieldNames();
    expect(names).toContainEqual({ original_field_name: 'record_id', choice_value: '', export_field_name: 'record_id' });
    expect(names.filter((n) => n.original_field_name === 'race').map((n) => n.export_field_name))
      .toEqual(['race___1', 'race___2', 'race___3', 'race___4', 'race___5', 'race___6']);
  });

  it('when records are exported, then values are strings and unchecked options read 0', async () => {
    const [row] = await harness.client().exportRecords();
    expect(row).toMatchObject({ record_id: '1', name_first: 'Nutmeg', sex: '0', race___1: '0', race___2: '1', demographics_complete: '2' });
    expect(Object.values(row ?? {}).every((value) => typeof value === 'string')).toBe(true);
  });

  it('when records are exported for some fields, then only those columns come back', async () => {
    const rows = await harness.client().exportRecords({ records: ['1'], fields: ['record_id', 'race'] });
    expect(Object.keys(rows[0] ?? {})).toEqual(['record_id', 'race___1', 'race___2', 'race___3', 'race___4', 'race___5', 'race___6']);
  });

  it('when a survey link is asked for, then it is a REDCap survey URL, the same for the same request', async () => {
    const link = await harness.client().exportSurveyLink({ record: '1', instrument: 'health' });
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/surveys\/\?s=[0-9A-F]{10}$/);
    await expect(harness.client().exportSurveyLink({ record: '1', instrument: 'health' })).resolves.toBe(link);
    await expect(harness.client().exportSurveyLink({ record: '1', instrument: 'health', repeatInstance: 2 })).resolves.not.toBe(link);
  });

  it('when the version is asked for, then it is a dotted REDCap version', async () => {
    await expect(harness.client().exportVersion()).resolves.toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('REDCap client exports from a longitudinal project', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startEmulator([longitudinalProject()]);
  });
  afterAll(() => harness.close());

  it('when events are exported, then each has its unique name, arm and id', async () => {
    const events = await harness.client().exportEvents();
    expect(events.map((e) => e.unique_event_name)).toEqual(['enrollment_arm_1', 'visit_1_arm_1', 'final_visit_arm_1']);
    expect(events[0]).toMatchObject({ event_name: 'Enrollment', arm_num: 1 });
  });

  it('when the form-event mapping is exported, then it lists the designated forms per event', async () => {
    const mapping = await harness.client().exportFormEventMapping();
    expect(mapping).toContainEqual({ arm_num: 1, unique_event_name: 'visit_1_arm_1', form: 'visit_lab_data' });
    expect(mapping).toHaveLength(9);
  });

  it('when project info is exported, then it says the project is longitudinal', async () => {
    await expect(harness.client().exportProjectInfo()).resolves.toMatchObject({ project_id: 18, is_longitudinal: 1 });
  });

  it('when a survey link is asked for, then the event is part of what makes it unique', async () => {
    await harness.client().importRecords([{ study_id: '5', redcap_event_name: 'enrollment_arm_1' }]);
    const first = await harness.client().exportSurveyLink({ record: '5', instrument: 'visit_lab_data', event: 'visit_1_arm_1' });
    const other = await harness.client().exportSurveyLink({ record: '5', instrument: 'visit_lab_data', event: 'final_visit_arm_1' });
    expect(first).not.toBe(other);
  });
});
