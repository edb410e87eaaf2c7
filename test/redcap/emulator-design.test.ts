/** The emulator as a longitudinal and repeating REDCap project, defined by a design file and read through its HTTP API. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseProjectDesign } from '../../src/config/project-design-file.js';
import { emulatorDesign } from '../../src/demo/redcap-emulator/design-config.js';
import { parseDictionary } from '../../src/dictionary/index.js';
import { TOKEN, fixtureText, startEmulator, type Harness } from './support.js';

/** A design file's text with the dictionary it belongs to, as emulator settings. */
function designed(dictionaryFile: string, designText: string) {
  const dictionary = fixtureText(`dictionaries/${dictionaryFile}`);
  const survey = parseDictionary(dictionary).survey;
  if (survey === null) throw new Error(`${dictionaryFile} does not load`);
  const load = parseProjectDesign(designText, survey);
  if (!load.ok) throw new Error(load.errors.join('; '));
  return { dictionary, ...emulatorDesign(load.design, survey.instruments.map((i) => i.name)) };
}

describe('an emulated longitudinal project with a repeating instrument, from a design file', () => {
  let harness: Harness;
  beforeAll(async () => {
    const design = `${fixtureText('redcap/designs/redcapr-longitudinal.yaml')}\nrepeating:\n  - { form: visit_lab_data, event: visit_1_arm_1 }\n`;
    harness = await startEmulator([{ token: TOKEN, projectId: 31, ...designed('redcapr-longitudinal.csv', design) }]);
  });
  afterAll(async () => harness.close());

  it('when events are exported, then they come in the design\'s order with their arms and labels', async () => {
    const events = await harness.client().exportEvents();
    expect(events.map((e) => [e.unique_event_name, e.event_name, e.arm_num])).toEqual([
      ['enrollment_arm_1', 'Enrollment', 1], ['dose_1_arm_1', 'Dose 1', 1], ['visit_1_arm_1', 'Visit 1', 1], ['dose_2_arm_1', 'Dose 2', 1],
      ['visit_2_arm_1', 'Visit 2', 1], ['final_visit_arm_1', 'Final visit', 1], ['enrollment_arm_2', 'Enrollment', 2],
      ['first_dose_arm_2', 'First dose', 2], ['first_visit_arm_2', 'First visit', 2], ['final_visit_arm_2', 'Final visit', 2],
    ]);
  });

  it('when arms are exported, then they have the design\'s names', async () => {
    await expect(harness.client().exportArms()).resolves.toEqual([{ arm_num: 1, name: 'Drug A' }, { arm_num: 2, name: 'Drug B' }]);
  });

  it('when the form-event mapping is exported, then each event holds exactly its designated forms', async () => {
    const mapping = await harness.client().exportFormEventMapping();
    expect(mapping.filter((m) => m.unique_event_name === 'dose_1_arm_1')).toEqual([
      { arm_num: 1, unique_event_name: 'dose_1_arm_1', form: 'visit_lab_data' },
      { arm_num: 1, unique_event_name: 'dose_1_arm_1', form: 'patient_morale_questionnaire' },
    ]);
    expect(mapping).toHaveLength(3 + 2 + 4 + 2 + 4 + 2 + 3 + 2 + 4 + 2);
  });

  it('when repeating instruments are exported, then the repeating form is named on its event', async () => {
    await expect(harness.client().exportRepeatingFormsEvents()).resolves.toEqual([{ event_name: 'visit_1_arm_1', form_name: 'visit_lab_data', custom_form_label: '' }]);
  });

  it('when project info is exported, then it says longitudinal and repeating', async () => {
    await expect(harness.client().exportProjectInfo()).resolves.toMatchObject({ is_longitudinal: 1, has_repeating_instruments_or_events: 1 });
  });

  it('when rows for events and new instances are imported, then the export has them with REDCap\'s system columns', async () => {
    await harness.client().importRecords([
      { study_id: '5', redcap_event_name: 'enrollment_arm_1', sex: '0' },
      { study_id: '5', redcap_event_name: 'visit_1_arm_1', redcap_repeat_instrument: 'visit_lab_data', redcap_repeat_instance: 'new', vld1: '3.1' },
      { study_id: '5', redcap_event_name: 'visit_1_arm_1', pmq1: '2' },
    ]);
    await harness.client().importRecords([
      { study_id: '5', redcap_event_name: 'visit_1_arm_1', redcap_repeat_instrument: 'visit_lab_data', redcap_repeat_instance: 'new', vld1: '3.4' },
    ]);
    const rows = await harness.client().exportRecords({ records: ['5'], fields: ['study_id', 'sex', 'vld1', 'pmq1'] });
    expect(rows).toEqual([
      { study_id: '5', redcap_event_name: 'enrollment_arm_1', redcap_repeat_instrument: '', redcap_repeat_instance: '', sex: '0', vld1: '', pmq1: '' },
      { study_id: '5', redcap_event_name: 'visit_1_arm_1', redcap_repeat_instrument: '', redcap_repeat_instance: '', sex: '', vld1: '', pmq1: '2' },
      { study_id: '5', redcap_event_name: 'visit_1_arm_1', redcap_repeat_instrument: 'visit_lab_data', redcap_repeat_instance: '1', sex: '', vld1: '3.1', pmq1: '' },
      { study_id: '5', redcap_event_name: 'visit_1_arm_1', redcap_repeat_instrument: 'visit_lab_data', redcap_repeat_instance: '2', sex: '', vld1: '3.4', pmq1: '' },
    ]);
  });

  it('when a repeating form is imported on an event where it does not repeat, then REDCap\'s refusal comes back', async () => {
    const refused = harness.client().importRecords([
      { study_id: '5', redcap_event_name: 'visit_2_arm_1', redcap_repeat_instrument: 'visit_lab_data', redcap_repeat_instance: '1', vld1: '1' },
    ]);
    await expect(refused).rejects.toThrow(/not a repeating instrument on this event/);
  });
});

describe('emulated project info says what the design is', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startEmulator([{ token: TOKEN, projectId: 32, ...designed('redcapr-repeating-instruments.csv', fixtureText('redcap/designs/redcapr-repeating-instruments.yaml')) }]);
  });
  afterAll(async () => harness.close());

  it('when a classic project repeats a form, then it is not longitudinal, has repeating instruments, and events read as none', async () => {
    await expect(harness.client().exportProjectInfo()).resolves.toMatchObject({ is_longitudinal: 0, has_repeating_instruments_or_events: 1 });
    await expect(harness.client().exportEvents()).resolves.toEqual([]);
    await expect(harness.client().exportArms()).resolves.toEqual([]);
    await expect(harness.client().exportRepeatingFormsEvents()).resolves.toEqual([{ event_name: '', form_name: 'bp', custom_form_label: '' }]);
  });
});

describe('an emulated longitudinal project with a repeating event, from a design file', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startEmulator([{ token: TOKEN, projectId: 33, ...designed('phpcap-longitudinal-metadata.csv', fixtureText('redcap/designs/phpcap-repeating-event.yaml')) }]);
  });
  afterAll(async () => harness.close());

  const row = (event: string, instance: string, values: Record<string, string>) =>
    ({ study_id: '7', redcap_event_name: event, redcap_repeat_instrument: '', redcap_repeat_instance: instance, ...values });

  it('when repeating instruments and events are exported, then the event is listed with a blank form name', async () => {
    await expect(harness.client().exportRepeatingFormsEvents()).resolves.toEqual([{ event_name: 'dose_2_arm_1', form_name: '', custom_form_label: '' }]);
    await expect(harness.client().exportProjectInfo()).resolves.toMatchObject({ is_longitudinal: 1, has_repeating_instruments_or_events: 1 });
  });

  it('when instances of the event are imported (numbered and new), then the export has them with the instrument blank and the instance numbered', async () => {
    await harness.client().importRecords([
      row('dose_1_arm_1', '', { avg_pills_pmq: '1' }),
      row('dose_2_arm_1', '1', { avg_pills_pmq: '2', prealbumin: '3.1' }),
      row('dose_2_arm_1', 'new', { avg_pills_pmq: '3' }),
    ]);
    await harness.client().importRecords([row('dose_2_arm_1', 'new', { avg_pills_pmq: '0' })]);
    const rows = await harness.client().exportRecords({ records: ['7'], fields: ['study_id', 'avg_pills_pmq', 'prealbumin'] });
    expect(rows).toEqual([
      { study_id: '7', redcap_event_name: 'dose_1_arm_1', redcap_repeat_instrument: '', redcap_repeat_instance: '', avg_pills_pmq: '1', prealbumin: '' },
      { study_id: '7', redcap_event_name: 'dose_2_arm_1', redcap_repeat_instrument: '', redcap_repeat_instance: '1', avg_pills_pmq: '2', prealbumin: '3.1' },
      { study_id: '7', redcap_event_name: 'dose_2_arm_1', redcap_repeat_instrument: '', redcap_repeat_instance: '2', avg_pills_pmq: '3', prealbumin: '' },
      { study_id: '7', redcap_event_name: 'dose_2_arm_1', redcap_repeat_instrument: '', redcap_repeat_instance: '3', avg_pills_pmq: '0', prealbumin: '' },
    ]);
  });

  it.each([
    ['a repeating event row without an instance', row('dose_2_arm_1', '', { avg_pills_pmq: '1' }), 'redcap_repeat_instance', /This event repeats: give redcap_repeat_instance/],
    ['an instance on an event that does not repeat', row('dose_1_arm_1', '2', { avg_pills_pmq: '1' }), 'redcap_repeat_instance', /this event does not repeat/],
    ['a form named as a repeating instrument on the repeating event', { ...row('dose_2_arm_1', '1', { avg_pills_pmq: '1' }), redcap_repeat_instrument: 'patient_morale_questionnaire' }, 'redcap_repeat_instrument', /not a repeating instrument on this event/],
  ])('when the import has %s, then REDCap\'s refusal names the column and nothing is written', async (_, bad, column, message) => {
    const before = await harness.client().exportRecords({ records: ['7'] });
    const refused = harness.client().importRecords([row('dose_3_arm_1', '', { avg_pills_pmq: '2' }), bad]);
    await expect(refused).rejects.toThrow(message);
    await expect(refused).rejects.toThrow(column);
    await expect(harness.client().exportRecords({ records: ['7'] })).resolves.toEqual(before);
  });
});

describe('a design the emulator cannot serve', () => {
  it.each([
    ['an unknown key', 'event: []', 'Unrecognized key'],
    ['an event listed twice', 'events: [{ name: a_arm_1 }, { name: a_arm_1 }]', 'events.1.name: a_arm_1 is listed twice'],
    ['an arm that is not listed', 'arms: [{ number: 1, name: A }]\nevents: [{ name: a_arm_2, arm: 2 }]', 'events.0.arm: arm 2 is not in arms'],
    ['a repeating event that is not an event', 'repeating: [{ event: nope_arm_1 }]', 'repeating.0.event: nope_arm_1 is not one of the events'],
    ['a form the dictionary lacks', 'events: [{ name: a_arm_1, forms: [diary] }]', 'events.0.forms: diary is not an instrument of the dictionary'],
    ['a repeating entry naming nothing', 'repeating: [{}]', 'needs a form (a repeating instrument) or an event'],
  ])('when a design file has %s, then the problem is named with its place', (_, text, message) => {
    expect(() => designed('redcapr-longitudinal.csv', text)).toThrow(message);
  });
});
