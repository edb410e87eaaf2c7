/**
 * A conversation in a longitudinal or repeating project, end to end against the REDCap emulator: the record
 * across events is read at invitation, branching and piping read other events and instances, and the answers
 * land in the invitation's event and the next repeat instance. A classic project never asks for events.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, test } from 'vitest';
import { parseProjectDesign } from '../../src/config/project-design-file.js';
import { projectRegistry } from '../../src/config/projects.js';
import { emulatorDesign } from '../../src/demo/redcap-emulator/design-config.js';
import type { EmulatorProjectConfig } from '../../src/demo/redcap-emulator/index.js';
import { parseDictionary } from '../../src/dictionary/index.js';
import type { FlatRecord } from '../../src/ports/redcap/index.js';
import { createInvitations } from '../../src/use-cases/request-invitation.js';
import { PHONE, TOKEN, classicStudy, startWorld, type World } from './harness.js';

const fixture = (path: string) => readFileSync(new URL(`../../fixtures/${path}`, import.meta.url), 'utf8');

function designedProject(dictionaryFile: string, designFile: string, records: FlatRecord[]): EmulatorProjectConfig {
  const dictionary = fixture(`dictionaries/${dictionaryFile}`);
  const survey = parseDictionary(dictionary).survey!;
  const load = parseProjectDesign(fixture(`redcap/designs/${designFile}`), survey);
  if (!load.ok) throw new Error(load.errors.join('; '));
  return { token: TOKEN, projectId: 41, dictionary, records, ...emulatorDesign(load.design, survey.instruments.map((i) => i.name)) };
}

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** POST /api/invitations' use case: invite now, with the phone given (these dictionaries have no phone field). */
async function inviteNow(w: World, record: string, instrument: string, event?: string): Promise<void> {
  const invitations = createInvitations({
    conversations: w.conversations, sync: w.redcap.sync, projects: projectRegistry([w.project]),
    client: w.redcap.client, survey: w.redcap.survey,
  });
  const outcome = await invitations.create({ record, instrument, mode: 'sms', phone: PHONE, ...(event === undefined ? {} : { event }) });
  expect(outcome.kind).toBe('created');
}

const texts = (w: World): string[] =>
  (w.db.prepare(`SELECT payload FROM outbox WHERE channel = 'sms' ORDER BY id`).all() as { payload: string }[])
    .map((row) => (JSON.parse(row.payload) as { body: string }).body);

const contents = (w: World, mark = 0): string[] => [...new Set(w.requestsSince(mark).map((r) => r.content))];

const settings = { phoneField: 'study_id', optOutFields: [] };

describe('a conversation in an event of a longitudinal project (PHPCap, branching across events)', () => {
  const records: FlatRecord[] = [
    { study_id: '1001', redcap_event_name: 'enrollment_arm_1', sex: '0' },
    { study_id: '1001', redcap_event_name: 'dose_1_arm_1', avg_pills_pmq: '1' },
  ];

  test('when invited to Dose 2, then it pipes Dose 1, branches on enrollment, and writes to Dose 2 alone', async () => {
    world = await startWorld(designedProject('derived-phpcap-longitudinal-cross-event.csv', 'phpcap-longitudinal.yaml', records), settings);
    await inviteNow(world, '1001', 'patient_morale_questionnaire', 'dose_2_arm_1');
    expect(texts(world)[0]).toContain('(At Dose 1 you said: 5-10)');
    for (const reply of ['2', '3', '1', '2']) await world.reply(reply);
    expect(texts(world).at(-2)).toContain('How open are you to further testing?');

    await world.writeBack();

    const rows = world.records('1001');
    expect(rows.find((r) => r.redcap_event_name === 'dose_2_arm_1')).toMatchObject({
      avg_pills_pmq: '2', dependence_pmq: '3', discuss_pmq: '1', further_testing_pmq: '2', patient_morale_questionnaire_complete: '2',
    });
    expect(rows.find((r) => r.redcap_event_name === 'dose_1_arm_1')).toMatchObject({ avg_pills_pmq: '1' });
    expect(rows.find((r) => r.redcap_event_name === 'dose_1_arm_1')?.dependence_pmq).toBeUndefined();
    expect(contents(world)).toEqual(expect.arrayContaining(['project', 'event', 'arm', 'formEventMapping']));
  });

  test('when the answers given in this conversation change what branching reads, then the next question sees them at once', async () => {
    world = await startWorld(designedProject('derived-phpcap-longitudinal-cross-event.csv', 'phpcap-longitudinal.yaml', records), settings);
    await inviteNow(world, '1001', 'patient_morale_questionnaire', 'dose_2_arm_1');
    await world.reply('0');
    expect(texts(world).at(-1)).toContain('Would you be willing to discuss your experiences with a psychiatrist?');
  });
});

describe('a conversation in a repeating event (PHPCap, Dose 2 repeats)', () => {
  test('when Dose 2 has one instance, then the conversation pipes Dose 1 and writes instance 2 of Dose 2, instance 1 untouched', async () => {
    world = await startWorld(designedProject('derived-phpcap-longitudinal-cross-event.csv', 'phpcap-repeating-event.yaml', [
      { study_id: '1001', redcap_event_name: 'enrollment_arm_1', sex: '0' },
      { study_id: '1001', redcap_event_name: 'dose_1_arm_1', avg_pills_pmq: '1' },
      { study_id: '1001', redcap_event_name: 'dose_2_arm_1', redcap_repeat_instrument: '', redcap_repeat_instance: '1', avg_pills_pmq: '3', dependence_pmq: '0' },
    ]), settings);
    await inviteNow(world, '1001', 'patient_morale_questionnaire', 'dose_2_arm_1');
    expect(texts(world)[0]).toContain('(At Dose 1 you said: 5-10)');
    for (const reply of ['2', '3', '1', '2']) await world.reply(reply);

    await world.writeBack();

    const dose2 = world.records('1001').filter((r) => r.redcap_event_name === 'dose_2_arm_1');
    expect(dose2.map((r) => [r.redcap_repeat_instrument, r.redcap_repeat_instance, r.avg_pills_pmq, r.dependence_pmq, r.patient_morale_questionnaire_complete]))
      .toEqual([['', '1', '3', '0', undefined], ['', '2', '2', '3', '2']]);
    expect(contents(world)).toContain('repeatingFormsEvents');
  });
});

describe('a conversation in a repeating instrument (REDCapR, piping across instances)', () => {
  test('when record 1 has two readings, then the conversation is instance 3, pipes instance 2, and writes instance 3', async () => {
    world = await startWorld(designedProject('derived-redcapr-repeating-cross-instance.csv', 'redcapr-repeating-instruments.yaml', [
      { record_id: '1', sex: '0' },
      { record_id: '1', redcap_repeat_instrument: 'bp', redcap_repeat_instance: '1', bp_systolic: '120' },
      { record_id: '1', redcap_repeat_instrument: 'bp', redcap_repeat_instance: '2', bp_systolic: '128' },
    ]), { ...settings, phoneField: 'record_id' });
    const mark = world.emulator.state.requests.length;
    await inviteNow(world, '1', 'bp');
    await world.reply('2026-03-10');
    expect(texts(world).at(-1)).toContain('Systolic blood pressure (reading 3; last time 128)');
    await world.reply('131');
    await world.reply('85');

    await world.writeBack();

    const instances = world.records('1').filter((r) => r.redcap_repeat_instrument === 'bp');
    expect(instances.map((r) => [r.redcap_repeat_instance, r.bp_systolic, r.bp_diastolic])).toEqual([['1', '120', undefined], ['2', '128', undefined], ['3', '131', '85']]);
    expect(contents(world, mark)).toContain('repeatingFormsEvents');
    expect(contents(world, mark)).not.toContain('event');
  });
});

describe('a classic project', () => {
  test('when a classic survey is invited, then REDCap is never asked for events, arms, mappings or repeating instruments', async () => {
    world = await startWorld(classicStudy({ records: [{ record_id: '1', phone: PHONE }] }));
    await inviteNow(world, '1', 'daily');
    expect(texts(world)[0]).toContain('How is your mood?');
    for (const content of ['event', 'arm', 'formEventMapping', 'repeatingFormsEvents']) expect(contents(world)).not.toContain(content);
  });
});
