import { describe, expect, it } from 'vitest';
import { surveyLogic } from '../../src/logic/index.js';
import { ctx, dictionary } from './helpers.js';

const survey = dictionary([
  { name: 'age', type: 'text', validation: 'integer' },
  { name: 'sex', type: 'radio', choices: '0, Female | 1, Male' },
  { name: 'fruit', type: 'checkbox', choices: '1, Apples | 2, Pears | 3, Plums' },
  { name: 'ok', type: 'yesno' },
  { name: 'dob', type: 'text', validation: 'date_ymd' },
  { name: 'adult_q', type: 'text', branching: "[age] >= 18 and ([sex] = '1' or [fruit(3)] = '1')" },
  { name: 'broken_q', type: 'text', branching: '[age] >= ' },
  { name: 'score', type: 'calc', choices: '[age] / 3' },
  { name: 'flag', type: 'calc', choices: "[sex] = '1'" },
  { name: 'js_calc', type: 'calc', choices: 'Math.max([age], 1)' },
  { name: 'double', type: 'calc', choices: '[score] * 2' },
  { name: 'greeting', type: 'text', annotation: "@CALCTEXT(concat('Hi ', [sex]))" },
  { name: 'next_visit', type: 'text', validation: 'date_ymd', annotation: "@CALCDATE([dob], 30, 'd')" },
  { name: 'next_call', type: 'text', validation: 'datetime_ymd', annotation: "@CALCDATE('2024-01-01 10:00', 90, 'm')" },
  { name: 'tagged', type: 'radio', choices: '1, A | 2, B | 3, C', annotation: "@HIDECHOICE='3' @IF([age] >= 18, @HIDDEN @HIDECHOICE='2', @DEFAULT='1' @IF([sex] = '1', @READONLY, ''))" },
  { name: 'def_piped', type: 'text', annotation: "@DEFAULT='[age] years'" },
  { name: 'def_label', type: 'radio', choices: '1, Yes | 0, No', annotation: "@DEFAULT='No'" },
  { name: 'now_dt', type: 'text', validation: 'datetime_ymd', annotation: '@NOW' },
  { name: 'now_s', type: 'text', validation: 'datetime_seconds_mdy', annotation: '@NOW' },
  { name: 'now_time', type: 'text', validation: 'time', annotation: '@NOW' },
  { name: 'now_plain', type: 'text', annotation: '@NOW' },
  { name: 'today', type: 'text', validation: 'date_dmy', annotation: '@TODAY' },
  { name: 'now_utc', type: 'text', validation: 'datetime_ymd', annotation: '@NOW-UTC' },
  { name: 'now_server', type: 'text', validation: 'datetime_seconds_ymd', annotation: '@NOW-SERVER' },
  { name: 'today_server', type: 'text', validation: 'date_ymd', annotation: '@TODAY-SERVER' },
  { name: 'today_utc', type: 'text', validation: 'date_ymd', annotation: '@TODAY-UTC' },
  { name: 'set_piped', type: 'text', annotation: "@SETVALUE='[age] years'" },
  { name: 'set_label', type: 'radio', choices: '1, Yes | 0, No', annotation: "@PREFILL='Yes'" },
]);
const logic = surveyLogic(survey);

describe('branching', () => {
  it.each([
    ['the rule holds', 'adult_q', { age: '30', sex: '1' }, true],
    ['the checkbox option makes it hold', 'adult_q', { age: '30', sex: '0', fruit___3: '1' }, true],
    ['the rule fails', 'adult_q', { age: '30', sex: '0' }, false],
    ['the age is blank', 'adult_q', { sex: '1' }, false],
    ['there is no branching', 'age', {}, true],
    ['the branching does not parse (asking beats skipping)', 'broken_q', {}, true],
  ])('when %s, then isShown says so', (_, field, record, expected) => {
    expect(logic.isShown(field, ctx(record, {}, survey))).toBe(expected);
  });

  it('when a survey object is asked for twice, then the compiled logic is reused', () => {
    expect(surveyLogic(survey)).toBe(logic);
    expect(surveyLogic(structuredClone(survey))).toBe(logic);
  });

  it('when another survey reuses the id with other fields, then it gets its own logic', () => {
    const other = structuredClone(survey);
    other.fields = other.fields.map((field) => (field.name === 'adult_q' ? { ...field, branching: '[age] < 18' } : field));
    expect(surveyLogic(other).isShown('adult_q', ctx({ age: '10' }, {}, other))).toBe(true);
    expect(logic.isShown('adult_q', ctx({ age: '10' }, {}, survey))).toBe(false);
  });
});

describe('calculated values, as REDCap stores them', () => {
  it.each([
    ['a repeating decimal', 'score', { age: '10' }, '3.33333333333333'],
    ['an integer result', 'score', { age: '30' }, '10'],
    ['a blank input', 'score', {}, ''],
    ['a boolean result', 'flag', { sex: '1' }, '1'],
    ['a calc that is not logic', 'js_calc', { age: '5' }, ''],
    // The inner calc is read as it would be stored (15 significant digits), then doubled.
    ['a calc reading another calc', 'double', { age: '10' }, '6.66666666666666'],
    ['@CALCTEXT', 'greeting', { sex: '1' }, 'Hi 1'],
    ['@CALCDATE on a date', 'next_visit', { dob: '2024-01-15' }, '2024-02-14'],
    ['@CALCDATE on a blank date', 'next_visit', {}, ''],
    ['@CALCDATE on a datetime field', 'next_call', {}, '2024-01-01 11:30'],
    ['a field that computes nothing', 'age', { age: '5' }, ''],
  ])('when the field has %s, then calcValue is right', (_, field, record, expected) => {
    expect(logic.calcValue(field, ctx(record, {}, survey))).toBe(expected);
  });
});

describe('@IF resolution', () => {
  it('when the condition holds, then the true branch merges in', () => {
    const tags = logic.effectiveTags('tagged', ctx({ age: '20' }, {}, survey));
    expect(tags).toMatchObject({ hidden: true, readonly: false, hideChoice: ['3', '2'], ifs: [] });
    expect(tags.default).toBeUndefined();
  });

  it('when the condition fails, then the false branch and its nested @IF apply', () => {
    const tags = logic.effectiveTags('tagged', ctx({ age: '10', sex: '1' }, {}, survey));
    expect(tags).toMatchObject({ hidden: false, readonly: true, default: '1', hideChoice: ['3'], ifs: [] });
  });

  it('when the nested condition fails, then nothing else is set', () => {
    const tags = logic.effectiveTags('tagged', ctx({ age: '10', sex: '0' }, {}, survey));
    expect(tags).toMatchObject({ hidden: false, readonly: false, default: '1', ifs: [] });
  });
});

describe('defaults', () => {
  // NOW is 2024-03-10 15:04:05 UTC; in New York that is 11:04:05 the same day, in Tokyo 00:04:05 the next.
  it.each([
    ['@DEFAULT with piping', 'def_piped', { age: '42' }, 'UTC', '42 years'],
    ['@DEFAULT piping a blank', 'def_piped', {}, 'UTC', ' years'],
    ['@DEFAULT naming a choice label', 'def_label', {}, 'UTC', '0'],
    ['@DEFAULT from an @IF branch', 'tagged', { age: '3' }, 'UTC', '1'],
    ['@NOW on a datetime', 'now_dt', {}, 'America/New_York', '2024-03-10 11:04'],
    ['@NOW with seconds', 'now_s', {}, 'UTC', '2024-03-10 15:04:05'],
    ['@NOW on a time', 'now_time', {}, 'Asia/Tokyo', '00:04'],
    ['@NOW without validation', 'now_plain', {}, 'UTC', '2024-03-10 15:04:05'],
    ['@TODAY in the zone', 'today', {}, 'Asia/Tokyo', '2024-03-11'],
    ['no default', 'age', {}, 'UTC', undefined],
    ['@NOW-UTC, whatever the participant’s zone', 'now_utc', {}, 'Asia/Tokyo', '2024-03-10 15:04'],
    ['@NOW-SERVER, in the project’s zone', 'now_server', {}, 'Asia/Tokyo', '2024-03-10 11:04:05'],
    ['@TODAY-SERVER, in the project’s zone', 'today_server', {}, 'Asia/Tokyo', '2024-03-10'],
    ['@TODAY-UTC', 'today_utc', {}, 'Asia/Tokyo', '2024-03-10'],
  ])('when the field has %s, then defaultValue is right', (_, field, record, timeZone, expected) => {
    expect(logic.defaultValue(field, ctx(record, { timeZone, serverTimeZone: 'America/New_York' }, survey))).toBe(expected);
  });

  it.each([
    ['@SETVALUE with piping', 'set_piped', { age: '42', set_piped: 'old' }, '42 years'],
    ['@PREFILL naming a choice label', 'set_label', {}, '1'],
    ['no @SETVALUE', 'def_piped', {}, undefined],
  ])('when the field has %s, then setValue is right', (_, field, record, expected) => {
    expect(logic.setValue(field, ctx(record, {}, survey))).toBe(expected);
  });

  it('when @NOW-SERVER is read without a project zone, then the participant’s zone stands in', () => {
    expect(logic.defaultValue('now_server', ctx({}, { timeZone: 'Asia/Tokyo' }, survey))).toBe('2024-03-11 00:04:05');
  });
});

describe('piping', () => {
  const record = { age: '42', sex: '1', fruit___1: '1', fruit___2: '0', fruit___3: '1', ok: '0' };
  it.each([
    ['a text value', 'You are [age].', record, {}, 'You are 42.'],
    ['a choice label', 'Sex: [sex]', record, {}, 'Sex: Male'],
    ['a choice code', 'Code: [sex:value]', record, {}, 'Code: 1'],
    ['an explicit label', '[sex:label]', record, {}, 'Male'],
    ['a yes/no label', '[ok]', record, {}, 'No'],
    ['checked options', '[fruit]', record, {}, 'Apples, Plums'],
    ['checked options, explicit', '[fruit:checked]', record, {}, 'Apples, Plums'],
    ['unchecked options', '[fruit:unchecked]', record, {}, 'Pears'],
    ['checked codes', '[fruit:value]', record, {}, '1, 3'],
    ['one option', '[fruit(2)] / [fruit(3)]', record, {}, 'Unchecked / Checked'],
    ['a blank value', 'Age: [age]', {}, {}, 'Age: ______'],
    ['a blank value, hidden', 'Age: [age:hideunderscore]', {}, {}, 'Age: '],
    ['a question’s own text', '[sex:field-label]: [sex]', record, {}, 'sex: Male'],
    ['a question’s text while its value is blank', 'About [age:field-label]', {}, {}, 'About age'],
    ['a checkbox question’s text', '[fruit:field-label]', record, {}, 'fruit'],
    ['no checked options', '[fruit]', {}, {}, '______'],
    ['a calculation', 'Score [score]', { age: '9' }, {}, 'Score 3'],
    ['another event', '[visit_2_arm_1][age]', {}, { rows: [{ redcap_event_name: 'visit_2_arm_1', age: '7' }] }, '7'],
    ['another instance', '[age][1]', record,
      { instance: 2, repeatInstrument: 'form_a', rows: [{ redcap_repeat_instrument: 'form_a', redcap_repeat_instance: '1', age: '41' }] }, '41'],
    ['[record-name]', 'Record [record-name]', {}, { recordId: 'R-7' }, 'Record R-7'],
    ['[event-name]', '[event-name]', {}, { event: 'baseline_arm_1' }, 'baseline_arm_1'],
    ['[current-instance]', '#[current-instance]', {}, { instance: 3 }, '#3'],
    ['an unknown smart variable', '<[survey-link]>', {}, {}, '<>'],
    ['[instrument-label] from the form name, as REDCap labels a form a dictionary creates', '[instrument-label]', {}, { instrument: 'form_a' }, 'Form A'],
    ['[survey-title] without a configured title', 'Welcome to [survey-title]', {}, { instrument: 'form_a' }, 'Welcome to Form A'],
    ['[survey-title] with a configured title', 'Welcome to [survey-title]', {}, { instrument: 'form_a', surveyTitles: { form_a: 'Daily Check-in' } }, 'Welcome to Daily Check-in'],
    ["[survey-title:instrument] of another survey", '[survey-title:form_b]', {}, { instrument: 'form_a', surveyTitles: { form_b: 'Exit' } }, 'Exit'],
    ['[event-label] and [arm-number] from the event details', '[event-label], arm [arm-number] ([arm-label])', {},
      { event: 'week_2_arm_2', eventDetails: { name: 'week_2_arm_2', label: 'Week 2', armNumber: 2, armLabel: 'Control' } }, 'Week 2, arm 2 (Control)'],
    ['[event-name] from the event details alone', '[event-name]', {}, { eventDetails: { name: 'week_2_arm_2' } }, 'week_2_arm_2'],
    ['[event-label] without event details', '<[event-label]>', {}, {}, '<>'],
    ['brackets that are not references', 'Dose [low dose] of [Lovenox]', {}, {}, 'Dose [low dose] of [Lovenox]'],
    ['an unknown field name', 'See [nothing_here]', {}, {}, 'See [nothing_here]'],
  ])('when piping %s, then the text is right', (_, text, data, extra, expected) => {
    expect(logic.pipe(text, ctx(data, extra, survey))).toBe(expected);
  });
});
