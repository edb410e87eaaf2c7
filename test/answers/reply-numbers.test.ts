import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { fieldOf, loadFixture, replyTo, storedOrWhy } from './helpers.js';

/**
 * REDCapR's decimal-comma-and-dot project (a real REDCap export): the same measures as `number` and
 * as `number_comma_decimal`. Only the field's own decimal mark is a number; see decision 0040.
 */
const commas = loadFixture('redcapr-decimal-comma-and-dot.csv');
const types = loadFixture('redcapr-validation-types-1.csv');

const NO_COMMA = 'rejected: Please write the number without commas, with a point for decimals, e.g. 1500 or 12.5.';
const NO_POINT = 'rejected: Please write the number without points, with a comma for decimals, e.g. 1500 or 12,5.';
const NO_SPACES = 'rejected: Please reply with one number, without spaces, e.g. 12.5.';
const NO_SPACES_COMMA = 'rejected: Please reply with one number, without spaces, e.g. 12,5.';

describe('decimal marks and spaces in number fields', () => {
  it.each([
    ['height_dot', '1.75', '1.75'],
    ['height_dot', ' 1.75 ', '1.75'],
    ['height_dot', '1,75', NO_COMMA],
    ['weight_dot', '1,500', NO_COMMA],
    ['weight_dot', '1,500.5', NO_COMMA],
    ['weight_dot', '70 5', NO_SPACES],
    ['weight_dot', '415 555 1212', NO_SPACES],
    ['weight_dot', '70.5 kg', 'rejected: Please reply with a number, e.g. 12.5.'],
    ['height_comma', '1,75', '1,75'],
    ['height_comma', '1.75', NO_POINT],
    ['weight_comma', '1.500', NO_POINT],
    ['weight_comma', '1.500,5', NO_POINT],
    ['weight_comma', '70 5', NO_SPACES_COMMA],
  ])('when %s gets "%s", then the result is %j', (name, reply, expected) => {
    expect(storedOrWhy(fieldOf(commas, name), reply)).toBe(expected);
  });

  it.each([
    ['v_integer', '415 555 1212', 'rejected: Please reply with one whole number, without spaces, e.g. 42.'],
    ['v_integer', '1 5', 'rejected: Please reply with one whole number, without spaces, e.g. 42.'],
    ['v_integer', '1,500', 'rejected: Please write the whole number without commas or points, e.g. 1500.'],
    ['v_integer', '1.500.000', 'rejected: Please write the whole number without commas or points, e.g. 1500.'],
    ['v_integer', ' 1500 ', '1500'],
    ['v_number_2dp', '1 000.50', NO_SPACES.replace('12.5', '12.50')],
    ['v_number_2dp_comma_decimal', '1.000,50', NO_POINT.replace('12,5', '12,50')],
  ])('when %s gets "%s", then the result is %j', (name, reply, expected) => {
    expect(storedOrWhy(fieldOf(types, name), reply)).toBe(expected);
  });

  it('when a slider gets digits with a space between them, then it is refused rather than joined', () => {
    expect(replyTo(fieldOf(types, 'f_slider'), '5 0').kind).toBe('rejected');
  });
});

const digits = fc.stringMatching(/^\d{1,5}$/);

describe('no number is ever guessed', () => {
  test.prop([digits, digits, fc.constantFrom(',', ' ', '  ')])(
    'when a point-decimal field gets two digit groups joined by a comma or spaces, then it is refused',
    (a, b, joint) => {
      expect(replyTo(fieldOf(commas, 'weight_dot'), `${a}${joint}${b}`).kind).toBe('rejected');
    },
  );

  test.prop([digits, digits, fc.constantFrom('.', ' ')])(
    'when a comma-decimal field gets two digit groups joined by a point or a space, then it is refused',
    (a, b, joint) => {
      expect(replyTo(fieldOf(commas, 'weight_comma'), `${a}${joint}${b}`).kind).toBe('rejected');
    },
  );

  test.prop([digits, digits, fc.constantFrom(',', '.', ' ')])(
    'when an integer field gets two digit groups joined by anything, then it is refused',
    (a, b, joint) => {
      expect(replyTo(fieldOf(types, 'v_integer'), `${a}${joint}${b}`).kind).toBe('rejected');
    },
  );
});
