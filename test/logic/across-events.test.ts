import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseProjectDesign } from '../../src/config/project-design-file.js';
import type { ProjectDesign } from '../../src/dictionary/project-design.js';
import { compileLogic, surveyLogic, type EvalContext, type RecordData } from '../../src/logic/index.js';
import { loadFixture, NOW } from './helpers.js';

function design(name: string): ProjectDesign {
  const load = parseProjectDesign(readFileSync(join(import.meta.dirname, '../../fixtures/redcap/designs', name), 'utf8'));
  if (!load.ok) throw new Error(load.errors.join('; '));
  return load.design;
}

const longitudinal = loadFixture('redcapr-longitudinal.csv');
const longitudinalDesign = design('redcapr-longitudinal.yaml');

/** Record 1 of REDCapR's longitudinal project across its events, as REDCap exports it (arm 1). */
const longitudinalRows: RecordData[] = [
  { study_id: '1', redcap_event_name: 'enrollment_arm_1', first_name: 'Nutmeg', sex: '0', gym___1: '1', weight: '70' },
  { study_id: '1', redcap_event_name: 'dose_1_arm_1', pmq1: '1', vld1: '12' },
  { study_id: '1', redcap_event_name: 'visit_1_arm_1', pmq1: '2', vld1: '14' },
  { study_id: '1', redcap_event_name: 'dose_2_arm_1', pmq1: '3' },
];

/** Evaluating in `event`, whose row is being filled in with `record`. */
function inEvent(event: string, record: RecordData = {}): EvalContext {
  return { survey: longitudinal, record, rows: longitudinalRows, design: longitudinalDesign, event, now: NOW, timeZone: 'UTC', recordId: '1' };
}

function evaluate(expression: string, ctx: EvalContext): unknown {
  const compiled = compileLogic(expression, ctx.survey);
  if (!compiled.ok) throw compiled.error;
  return compiled.evaluate(ctx);
}

describe('logic across the events of a longitudinal project (REDCapR longitudinal)', () => {
  it.each([
    ['a named event', '[enrollment_arm_1][first_name]', 'visit_1_arm_1', {}, 'Nutmeg'],
    ['a named event in a comparison', "[enrollment_arm_1][sex] = '0'", 'visit_1_arm_1', {}, true],
    ['a checkbox option on another event', "[enrollment_arm_1][gym(1)] = '1'", 'visit_1_arm_1', {}, true],
    ['a checkbox option never saved on another event', "[enrollment_arm_1][gym(2)]", 'visit_1_arm_1', {}, '0'],
    ['the previous event', '[previous-event-name][pmq1]', 'visit_1_arm_1', { pmq1: '9' }, '1'],
    ['the previous event, with the instrument parameter skipping events without it', '[previous-event-name:visit_blood_workup]', 'visit_2_arm_1', {}, 'visit_1_arm_1'],
    ['the previous event of the first event', '[previous-event-name][pmq1]', 'enrollment_arm_1', {}, ''],
    ['the next event', '[next-event-name]', 'visit_1_arm_1', {}, 'dose_2_arm_1'],
    ['the next event of the last event of the arm', '[next-event-name]', 'final_visit_arm_1', {}, ''],
    ['the first event of the arm', '[first-event-name][weight]', 'dose_2_arm_1', {}, '70'],
    ['the last event of the arm', '[last-event-name]', 'dose_1_arm_1', {}, 'final_visit_arm_1'],
    ['the last event of arm 2, not arm 1', '[last-event-name]', 'first_dose_arm_2', {}, 'final_visit_arm_2'],
    ['the first event label', '[first-event-label]', 'dose_2_arm_1', {}, 'Enrollment'],
    ['the current event by name reads the row being filled in', '[visit_1_arm_1][pmq1]', 'visit_1_arm_1', { pmq1: '0' }, '0'],
    ['an unqualified field reads the row being filled in', '[pmq1]', 'dose_2_arm_1', { pmq1: '2' }, '2'],
    ['an event with no data yet', '[visit_2_arm_1][pmq1]', 'dose_2_arm_1', {}, ''],
    ['arithmetic across events', '[visit_1_arm_1][vld1] - [dose_1_arm_1][vld1]', 'dose_2_arm_1', {}, 2],
    ['[event-label] and [arm-label] from the design', "concat([event-label], ' / ', [arm-label], ' / ', [event-number])", 'visit_1_arm_1', {}, 'Visit 1 / Drug A / 3'],
  ])('when logic reads %s, then it sees what REDCap sees', (_, expression, event, record, expected) => {
    expect(evaluate(expression, inEvent(event, record))).toEqual(expected);
  });

  it.each([
    ['a named event', 'Hello [enrollment_arm_1][first_name]', 'Hello Nutmeg'],
    ['the previous event, labelled', 'Last time: [previous-event-name][pmq1]', 'Last time: 5-10'],
    ['the first event', '[first-event-name][first_name]', 'Nutmeg'],
    ['a relative event smart variable alone', 'Next: [next-event-label]', 'Next: Dose 2'],
    ['an event with no data', 'Then: [visit_2_arm_1][pmq1]', 'Then: ______'],
  ])('when a label pipes %s, then the text is right', (_, text, expected) => {
    expect(surveyLogic(longitudinal).pipe(text, inEvent('visit_1_arm_1'))).toBe(expected);
  });

  it('when no design is given, then relative events are blank rather than a guess', () => {
    const { design: _unused, ...ctx } = inEvent('visit_1_arm_1');
    expect(evaluate('[previous-event-name][pmq1]', ctx)).toBe('');
    expect(evaluate('[dose_1_arm_1][pmq1]', ctx)).toBe('1');
  });
});

const phpcap = loadFixture('phpcap-longitudinal-metadata.csv');
const phpcapDesign = design('phpcap-longitudinal.yaml');

describe('logic across the events of PHPCap\'s longitudinal project', () => {
  const rows: RecordData[] = [
    { study_id: '1001', redcap_event_name: 'enrollment_arm_1', sex: '1', dob: '1980-05-01' },
    { study_id: '1001', redcap_event_name: 'dose_1_arm_1', avg_pills_pmq: '3', cholesterol: '180' },
    { study_id: '1001', redcap_event_name: 'dose_2_arm_1', avg_pills_pmq: '2', cholesterol: '170' },
  ];
  const ctx = (event: string, record: RecordData = {}): EvalContext => ({
    survey: phpcap, record, rows, design: phpcapDesign, event, now: NOW, timeZone: 'UTC',
  });

  it.each([
    ['the previous dose\'s answer', "[previous-event-name][avg_pills_pmq] = '2'", 'dose_3_arm_1', true],
    ['a change since the previous event', '[cholesterol] < [previous-event-name][cholesterol]', 'dose_3_arm_1', true],
    ['the enrollment sex in a later event\'s branching', "[enrollment_arm_1][sex] = '1' and [first-event-name][sex] = '1'", 'final_visit_arm_1', true],
    ['the age calc of the dictionary, on another event', "rounddown(datediff([enrollment_arm_1][dob], '2024-05-01', 'y'))", 'dose_1_arm_1', 44],
  ])('when logic reads %s, then it sees what REDCap sees', (_, expression, event, expected) => {
    expect(evaluate(expression, ctx(event, { cholesterol: '160' }))).toEqual(expected);
  });
});

const repeating = loadFixture('redcapr-repeating-instruments.csv');
const repeatingDesign = design('redcapr-repeating-instruments.yaml');

describe('logic across the instances of a repeating instrument (REDCapR repeating instruments)', () => {
  const rows: RecordData[] = [
    { record_id: '1', first_name: 'Ann', sex: '0' },
    { record_id: '1', redcap_repeat_instrument: 'bp', redcap_repeat_instance: '1', bp_systolic: '120' },
    { record_id: '1', redcap_repeat_instrument: 'bp', redcap_repeat_instance: '2', bp_systolic: '135' },
    { record_id: '1', redcap_repeat_instrument: 'bp', redcap_repeat_instance: '3', bp_systolic: '128' },
  ];
  /** Filling in instance `instance` of bp (the record's demographics merged in, as a survey page has them). */
  const inInstance = (instance: number | undefined, record: RecordData = {}): EvalContext => ({
    survey: repeating, record: { record_id: '1', first_name: 'Ann', sex: '0', ...record }, rows, design: repeatingDesign,
    now: NOW, timeZone: 'UTC', instrument: 'bp',
    ...(instance === undefined ? {} : { instance, repeatInstrument: 'bp' }),
  });

  it.each([
    ['the previous instance', '[bp_systolic][previous-instance]', 3, { bp_systolic: '140' }, '135'],
    ['the previous instance of instance 1', '[bp_systolic][previous-instance]', 1, {}, ''],
    ['the current instance, being filled in', '[bp_systolic][current-instance]', 4, { bp_systolic: '150' }, '150'],
    ['the unqualified field, being filled in', '[bp_systolic]', 4, { bp_systolic: '150' }, '150'],
    ['a numbered instance', '[bp_systolic][2]', 4, {}, '135'],
    ['an instance with no data', '[bp_systolic][9]', 4, {}, ''],
    ['the first instance', '[bp_systolic][first-instance]', 4, {}, '120'],
    ['the last instance, the one being filled in included', '[bp_systolic][last-instance]', 4, { bp_systolic: '150' }, '150'],
    ['[current-instance]', '[current-instance]', 4, {}, 4],
    ['[previous-instance]', '[previous-instance]', 4, {}, 3],
    ['[last-instance] with the new instance', '[last-instance]', 4, {}, 4],
    ['[first-instance]', '[first-instance]', 4, {}, 1],
    ['a non-repeating field from inside an instance', "[sex] = '0'", 4, {}, true],
    ['an average over instances', 'mean([bp_systolic][1], [bp_systolic][2], [bp_systolic][3])', 4, {}, 127.66666666666667],
    ['a repeating field from outside the instrument (instance 1)', '[bp_systolic]', undefined, {}, '120'],
    ['[current-instance] outside a repeating instrument', '[current-instance]', undefined, {}, ''],
  ])('when logic reads %s, then it sees what REDCap sees', (_, expression, instance, record, expected) => {
    expect(evaluate(expression, inInstance(instance, record))).toEqual(expected);
  });

  it('when a label pipes the previous instance, then the text shows its value', () => {
    expect(surveyLogic(repeating).pipe('Last time [bp_systolic][previous-instance], instance [current-instance]', inInstance(4)))
      .toBe('Last time 128, instance 4');
  });

  it('when the design is unknown, then the rows alone say which form repeats', () => {
    const { design: _unused, ...ctx } = inInstance(4);
    expect(evaluate('[bp_systolic][previous-instance]', ctx)).toBe('128');
  });
});

describe('a repeating event', () => {
  const survey = phpcap;
  const daily: ProjectDesign = {
    arms: [{ number: 1, name: 'Arm 1' }],
    events: [{ name: 'enrollment_arm_1', label: 'Enrollment', armNumber: 1 }, { name: 'daily_arm_1', label: 'Daily', armNumber: 1 }],
    repeating: [{ event: 'daily_arm_1' }],
  };
  const rows: RecordData[] = [
    { study_id: '1', redcap_event_name: 'enrollment_arm_1', sex: '0' },
    { study_id: '1', redcap_event_name: 'daily_arm_1', redcap_repeat_instrument: '', redcap_repeat_instance: '1', avg_pills_pmq: '1', cholesterol: '150' },
  ];
  const ctx: EvalContext = {
    survey, record: { avg_pills_pmq: '2' }, rows, design: daily, event: 'daily_arm_1', instance: 2, repeatInstrument: '', now: NOW, timeZone: 'UTC',
  };

  it.each([
    ['the previous instance of the event', '[avg_pills_pmq][previous-instance]', '1'],
    ['another form of the event, same instance', '[cholesterol][1]', '150'],
    ['the event qualified and numbered', '[daily_arm_1][avg_pills_pmq][1]', '1'],
    ['the instance being filled in', '[avg_pills_pmq]', '2'],
    ['another event', '[enrollment_arm_1][sex]', '0'],
  ])('when logic reads %s, then it sees the right instance', (_, expression, expected) => {
    expect(evaluate(expression, ctx)).toBe(expected);
  });
});
