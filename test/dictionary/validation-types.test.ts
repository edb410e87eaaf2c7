import { describe, expect, it } from 'vitest';
import { VALIDATION_TYPES, validationType } from '../../src/dictionary/validation-types.js';

describe('the validation type registry', () => {
  const builtIns = [
    ...['date', 'datetime', 'datetime_seconds'].flatMap((kind) => ['ymd', 'mdy', 'dmy'].map((order) => `${kind}_${order}`)),
    'time', 'time_hh_mm_ss', 'time_mm_ss', 'integer', 'number', 'number_1dp', 'number_2dp', 'number_3dp', 'number_4dp',
    'number_comma_decimal', 'number_1dp_comma_decimal', 'number_2dp_comma_decimal', 'number_3dp_comma_decimal',
    'number_4dp_comma_decimal', 'email', 'phone', 'phone_australia', 'phone_uk', 'zipcode', 'postalcode_australia',
    'postalcode_canada', 'postalcode_french', 'postalcode_germany', 'postalcode_uk', 'ssn', 'alpha_only', 'mrn_10d',
    'mrn_generic', 'vmrn', 'signature', 'autocomplete',
  ];

  it('when listed, then it holds exactly the REDCap built-ins, each once', () => {
    expect(VALIDATION_TYPES.map((t) => t.name).sort()).toEqual([...builtIns].sort());
  });

  it.each([
    ['date_mdy', { family: 'date', order: 'mdy' }],
    ['datetime_seconds_dmy', { family: 'datetime_seconds', order: 'dmy' }],
    ['number_2dp_comma_decimal', { family: 'number', decimals: 2, commaDecimal: true }],
    ['number_3dp', { family: 'number', decimals: 3 }],
    ['time_mm_ss', { family: 'time' }],
    ['postalcode_canada', { family: 'postal_code' }],
    ['signature', { family: 'marker', fieldType: 'file' }],
    ['autocomplete', { family: 'marker', fieldType: 'dropdown' }],
  ])('when %s is looked up, then its family and details are given', (name, expected) => {
    expect(validationType(name)).toMatchObject({ name, ...expected });
  });

  it('when a site-defined name is looked up, then it is undefined', () => {
    expect(validationType('year_only')).toBeUndefined();
  });
});
