import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { evaluate } from './helpers.js';

const instanceRow = (instance: number, values: Record<string, string>) =>
  ({ redcap_repeat_instrument: 'form_a', redcap_repeat_instance: String(instance), ...values });

describe('comparisons', () => {
  it.each([
    ['numbers compare as numbers', '[n] = 1', { n: '1.0' }, true],
    ['numeric text against a quoted number', "[n] = '10'", { n: '10' }, true],
    ['numbers order numerically, not as text', '[n] > 9', { n: '10' }, true],
    ['quoted numbers order numerically too', "[n] > '9'", { n: '10' }, true],
    ['text compares as text', "[name] = 'Ann'", { name: 'Ann' }, true],
    ['text compares case-sensitively', "[name] = 'ann'", { name: 'Ann' }, false],
    ['text orders as text', "[name] < 'B'", { name: 'Ann' }, true],
    ['<> on different values', '[n] <> 2', { n: '3' }, true],
    ['!= on equal values', '[n] != 3', { n: '3' }, false],
    ['<= on equal values', '[n] <= 3', { n: '3' }, true],
    ['>= below', '[n] >= 3', { n: '2' }, false],
    ['codes, not labels', "[sex] = '1'", { sex: '1' }, true],
    ['a label is not the value', "[sex] = 'Male'", { sex: '1' }, false],
    ['dates compare as dates', "[dob] > '2024-01-01'", { dob: '2024-01-02' }, true],
    ['datetimes compare as instants', "[seen_at] = '2024-01-02 09:30:00'", { seen_at: '2024-01-02 09:30' }, true],
    ['a datetime is after its date', "[seen_at] > '2024-01-02'", { seen_at: '2024-01-02 00:01' }, true],
    ['datetime order across days', "[seen_at_s] < '2024-01-02 09:30'", { seen_at_s: '2024-01-01 23:59:59' }, true],
  ])('when %s, then %s', (_, expression, record, expected) => {
    expect(evaluate(expression, record)).toBe(expected);
  });
});

describe('blank rules', () => {
  it.each([
    ['blank is not 0', '[n] <> 0', true],
    ['blank never equals 0', '[n] = 0', false],
    ['blank equals the empty string', "[n] = ''", true],
    ['blank equals ""', '[n] = ""', true],
    ['blank is not below a number (decision 0004)', '[n] < 18', false],
    ['blank is not above a number (decision 0004)', '[n] >= 18', false],
    ['blank ordering against text is false too', "[name] < 'B'", false],
    ['a never-saved checkbox option reads 0', "[cb(2)] = '0'", true],
    ['a never-saved checkbox option is not blank', "[cb(2)] = ''", false],
    ['a missing field reads blank', "[name] = ''", true],
    ['blank is false in and', '[n] and true', false],
    ['blank is false in or', '[n] or false', false],
  ])('when %s, then the result is right', (_, expression, expected) => {
    expect(evaluate(expression, {})).toBe(expected);
  });

  it.each([
    ['+', '[n] + 1'], ['-', '1 - [n]'], ['*', '[n] * 2'], ['/', '[n] / 2'], ['^', '([n])^(2)'], ['unary -', '-[n]'],
  ])('when %s has a blank operand, then the result is blank', (_, expression) => {
    expect(evaluate(expression, {})).toBe('');
  });

  test.prop([fc.constantFrom('+', '-', '*', '/', '^'), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean()])(
    'when any arithmetic has a blank operand, then the result stays blank',
    (op, number, blankOnLeft) => {
      const record = { n: '', m: String(number) };
      const expression = blankOnLeft ? `[n] ${op} [m]` : `[m] ${op} [n]`;
      expect(evaluate(expression, record)).toBe('');
    },
  );

  test.prop([fc.integer({ min: -1000, max: 1000 })])('when a field is blank, then it equals no number and differs from every number', (k) => {
    expect(evaluate(`[n] = ${k}`, {})).toBe(false);
    expect(evaluate(`[n] <> ${k}`, {})).toBe(true);
  });
});

describe('arithmetic and logic operators', () => {
  it.each([
    ['+', '[n] + [m]', { n: '2', m: '3' }, 5],
    ['-', '[n] - [m]', { n: '2', m: '3' }, -1],
    ['*', '[n] * [m]', { n: '2', m: '3' }, 6],
    ['/', '[n] / [m]', { n: '3', m: '2' }, 1.5],
    ['^ with parenthesised operands', '([n])^([m])', { n: '2', m: '3' }, 8],
    ['precedence', '1 + 2 * 3 ^ 2', {}, 19],
    ['unary minus', '-[n] * 2', { n: '2' }, -4],
    ['division by zero', '[n] / 0', { n: '2' }, ''],
    ['non-numeric text', "[name] + 1", { name: 'x' }, ''],
    ['booleans as 1 and 0', "([n] = 1) + ([m] = 1)", { n: '1', m: '1' }, 2],
    ['and', '[n] = 1 and [m] = 2', { n: '1', m: '2' }, true],
    ['and, one false', '[n] = 1 AND [m] = 2', { n: '1', m: '3' }, false],
    ['or', '[n] = 1 or [m] = 2', { n: '0', m: '2' }, true],
    ['|| and &&', '[n] = 5 || [m] = 2 && [n] = 0', { n: '0', m: '2' }, true],
    ['and binds tighter than or', '[n] = 1 or [n] = 2 and [m] = 9', { n: '1', m: '0' }, true],
    ['checkbox options', "[cb(3)] = '1' and [cb(OTH)] = '0'", { cb___3: '1' }, true],
    ['checkbox codes match case-insensitively', "[cb(oth)] = '1'", { cb___oth: '1' }, true],
    ['a bare checkbox lists checked codes', '[cb]', { cb___1: '1', cb___3: '1', cb___2: '0' }, '1,3'],
  ])('when the expression uses %s, then it evaluates like REDCap', (_, expression, record, expected) => {
    expect(evaluate(expression, record)).toBe(expected);
  });
});

describe('references', () => {
  it.each([
    ['another event', '[visit_2_arm_1][n]', {}, { rows: [{ redcap_event_name: 'visit_2_arm_1', n: '7' }] }, '7'],
    ['an event without data', '[visit_3_arm_1][n]', {}, { rows: [] }, ''],
    ['the current event by name', '[visit_1_arm_1][n]', { n: '4' }, { event: 'visit_1_arm_1' }, '4'],
    ['another instance', '[n][1]', { n: '2' }, { instance: 2, repeatInstrument: 'form_a', rows: [instanceRow(1, { n: '1' })] }, '1'],
    ['the previous instance', '[n][previous-instance]', { n: '2' }, { instance: 2, repeatInstrument: 'form_a', rows: [instanceRow(1, { n: '1' })] }, '1'],
    ['the previous instance of instance 1', '[n][previous-instance]', { n: '2' }, { instance: 1, repeatInstrument: 'form_a' }, ''],
    ['the current instance', '[n][current-instance]', { n: '2' }, { instance: 2, repeatInstrument: 'form_a' }, '2'],
    ['the last instance', '[n][last-instance]', { n: '2' }, { instance: 2, repeatInstrument: 'form_a', rows: [instanceRow(1, { n: '1' }), instanceRow(3, { n: '3' })] }, '3'],
    ['[record-name]', '[record-name]', {}, { recordId: '12' }, '12'],
    ['[event-name]', '[event-name]', {}, { event: 'baseline_arm_1' }, 'baseline_arm_1'],
    ['[current-instance]', '[current-instance]', {}, { instance: 3 }, 3],
    ['an unknown smart variable', '[survey-link]', {}, {}, ''],
    ['a field with :value', '[sex:value]', { sex: '1' }, {}, '1'],
    ['a checkbox option with :value', '[cb(2):value]', { cb___2: '1' }, {}, '1'],
    ['a field with :label (logic reads raw values)', '[sex:label]', { sex: '1' }, {}, '1'],
    ['a calc computed on the spot', '[bmi]', { weight: '70', height: '175' }, {}, '22.9'],
  ])('when reading %s, then the value is right', (_, expression, record, extra, expected) => {
    expect(evaluate(expression, record, extra)).toBe(expected);
  });
});
