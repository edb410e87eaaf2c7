import { describe, expect, it } from 'vitest';
import type { Bound } from '../../src/dictionary/model.js';
import { fieldOf, loadFixture, replyTo, tagsOf, testField } from './helpers.js';

const longitudinal = loadFixture('redcapr-longitudinal.csv');
const trial = loadFixture('redcapr-clinical-trial-1.csv');
const commas = loadFixture('redcapr-decimal-comma-and-dot.csv');

describe('min/max from the dictionary: soft by default, hard with @FORCE-MINMAX', () => {
  it.each([
    ['height', '252', { kind: 'confirm', values: { height: '252' }, message: '252 is outside the expected range (130–215). Reply YES to keep it, or send a new value.' }],
    ['height', '129.5', { kind: 'confirm', values: { height: '129.5' }, message: '129.5 is outside the expected range (130–215). Reply YES to keep it, or send a new value.' }],
    ['height', '215', { kind: 'accepted', values: { height: '215' } }],
    ['weight', '34', { kind: 'confirm', values: { weight: '34' }, message: '34 is outside the expected range (35–200). Reply YES to keep it, or send a new value.' }],
    ['num_children', '-1', { kind: 'confirm', values: { num_children: '-1' }, message: '-1 is below the expected minimum (0). Reply YES to keep it, or send a new value.' }],
    ['num_children', '12', { kind: 'accepted', values: { num_children: '12' } }],
  ])('when %s gets "%s", then the outcome is %j', (name, reply, outcome) => {
    expect(replyTo(fieldOf(longitudinal, name), reply)).toEqual(outcome);
  });

  it('when the dictionary bound is a date, then dates are compared as dates and shown in the field order', () => {
    expect(replyTo(fieldOf(trial, 'dob'), '1899-12-31')).toEqual({
      kind: 'confirm', values: { dob: '1899-12-31' },
      message: '1899-12-31 is outside the expected range (1900-01-01–2029-12-31). Reply YES to keep it, or send a new value.',
    });
    expect(replyTo(fieldOf(trial, 'dob'), '1900-1-1').kind).toBe('accepted');
  });

  it('when a comma-decimal field has a range, then the comparison is numeric', () => {
    const field = fieldOf(commas, 'weight_comma');
    expect(replyTo(field, '3,5')).toEqual({
      kind: 'confirm', values: { weight_comma: '3,5' },
      message: '3,5 is outside the expected range (35–200). Reply YES to keep it, or send a new value.',
    });
    expect(replyTo(field, '100,5')).toEqual({ kind: 'accepted', values: { weight_comma: '100,5' } });
  });

  it('when @FORCE-MINMAX is set, then an out-of-range value is rejected with the allowed range', () => {
    const height = fieldOf(longitudinal, 'height');
    expect(replyTo(height, '252', { tags: tagsOf({ forceMinMax: true }) })).toEqual({
      kind: 'rejected', message: '252 is outside the allowed range (130–215). Please send a new value.',
    });
  });
});

describe('bounds resolved at ask time', () => {
  const dated = (validation: string, min: Bound | null, max: Bound | null) =>
    testField({ name: 'when', type: 'text', validation, min, max });

  it.each([
    ['date_mdy', null, { kind: 'today' }, '3-6-2026', '03-06-2026 is above the expected maximum (03-05-2026). Reply YES to keep it, or send a new value.'],
    ['date_dmy', { kind: 'today' }, null, '4-3-2026', '04-03-2026 is below the expected minimum (05-03-2026). Reply YES to keep it, or send a new value.'],
    ['datetime_ymd', null, { kind: 'now' }, '2026-03-05 12:01', '2026-03-05 12:01 is above the expected maximum (2026-03-05 12:00). Reply YES to keep it, or send a new value.'],
    ['date_ymd', { kind: 'field', field: 'start' }, null, '2026-01-31', '2026-01-31 is below the expected minimum (2026-02-01). Reply YES to keep it, or send a new value.'],
  ] as const)('when a %s field with bounds %j/%j gets "%s", then it asks: %s', (validation, min, max, reply, message) => {
    const outcome = replyTo(dated(validation, min, max), reply, { record: { start: '2026-02-01' } });
    expect(outcome.kind === 'confirm' ? outcome.message : outcome).toBe(message);
  });

  it.each([
    ['date_mdy', null, { kind: 'today' }, '3-5-2026'],
    ['date_ymd', { kind: 'field', field: 'start' }, null, '2000-01-01'],
    ['date_ymd', { kind: 'literal', value: '1/1/19' }, null, '1800-01-01'],
    ['time', { kind: 'literal', value: '08:00' }, { kind: 'literal', value: '17:00' }, '5pm'],
  ] as const)('when a %s field has bounds %j/%j that are met or unreadable, then "%s" is accepted', (validation, min, max, reply) => {
    expect(replyTo(dated(validation, min, max), reply, { record: {} }).kind).toBe('accepted');
  });

  it('when today in the participant zone differs from UTC, then the zone decides', () => {
    const field = dated('date_ymd', null, { kind: 'today' });
    const lateEvening = new Date('2026-03-06T02:00:00Z'); // still 5 March in New York
    expect(replyTo(field, '2026-03-06', { now: lateEvening }).kind).toBe('confirm');
    expect(replyTo(field, '2026-03-06', { now: lateEvening, timeZone: 'Asia/Tokyo' }).kind).toBe('accepted');
    expect(replyTo(field, 'today', { now: lateEvening, timeZone: 'Not/AZone' })).toEqual({ kind: 'accepted', values: { when: '2026-03-06' } });
  });
});
