import { describe, expect, it } from 'vitest';
import { fieldOf, loadFixture, storedOrWhy } from './helpers.js';

/**
 * One row per text validation type in REDCapR's validation-types dictionary (a real REDCap export):
 * what a participant may type, and what REDCap stores. "Now" is noon, 5 March 2026, New York.
 */
const survey = loadFixture('redcapr-validation-types-1.csv');

const ACCEPTED: Record<string, [reply: string, stored: string][]> = {
  v_alpha_only: [['Hello', 'Hello'], ['  abc ', 'abc']],
  v_date_dmy: [['5-3-2026', '2026-03-05'], ['05/03/2026', '2026-03-05'], ['5.3.2026', '2026-03-05'], ['5 March 2026', '2026-03-05'], ['2026-03-05', '2026-03-05'], ['today', '2026-03-05'], ['05032026', '2026-03-05']],
  v_date_mdy: [['3-5-2026', '2026-03-05'], ['03/05/2026', '2026-03-05'], ['March 5 2026', '2026-03-05'], ['Mar 5th, 2026', '2026-03-05'], ['2/29/2024', '2024-02-29'], ['TODAY', '2026-03-05']],
  v_date_ymd: [['2026-3-5', '2026-03-05'], ['2026/03/05', '2026-03-05'], ['2026 3 5', '2026-03-05'], ['20260305', '2026-03-05'], ['5 march 2026', '2026-03-05']],
  v_datetime_dmy: [['5-3-2026 14:30', '2026-03-05 14:30'], ['5/3/2026 2:30 pm', '2026-03-05 14:30'], ['now', '2026-03-05 12:00'], ['today 9am', '2026-03-05 09:00']],
  v_datetime_mdy: [['3-5-2026 14:30', '2026-03-05 14:30'], ['March 5 2026 12am', '2026-03-05 00:00'], ['2026-03-05T08:05', '2026-03-05 08:05']],
  v_datetime_ymd: [['2026-03-05 14:30', '2026-03-05 14:30'], ['2026-3-5 7:05', '2026-03-05 07:05']],
  v_datetime_seconds_dmy: [['5-3-2026 14:30:15', '2026-03-05 14:30:15'], ['5-3-2026 14:30', '2026-03-05 14:30:00']],
  v_datetime_seconds_mdy: [['3-5-2026 14:30:15', '2026-03-05 14:30:15'], ['now', '2026-03-05 12:00:00']],
  v_datetime_seconds_ymd: [['2026-03-05 14:30:15', '2026-03-05 14:30:15']],
  v_email: [['joe@example.com', 'joe@example.com'], [' Ann.Lee+x@mail.example.org ', 'Ann.Lee+x@mail.example.org']],
  v_integer: [['42', '42'], ['-7', '-7'], ['+3', '3'], ['007', '7'], ['-0', '0']],
  v_mrn_10d: [['1234567890', '1234567890'], ['123-456-7890', '1234567890']],
  v_mrn_generic: [['AB-12345', 'AB-12345'], ['x9', 'x9']],
  v_number: [['3.14', '3.14'], ['-0.5', '-0.5'], ['.5', '0.5'], ['1e3', '1e3'], ['5.', '5']],
  v_number_1dp: [['5', '5.0'], ['5.2', '5.2']],
  v_number_2dp: [['5', '5.00'], ['5.2', '5.20'], ['-1.25', '-1.25']],
  v_number_3dp: [['5.25', '5.250']],
  v_number_4dp: [['0.1234', '0.1234'], ['1', '1.0000']],
  v_number_comma_decimal: [['3,14', '3,14'], ['12', '12'], [' -0,5 ', '-0,5']],
  v_number_1dp_comma_decimal: [['5', '5,0'], ['5,2', '5,2']],
  v_number_2dp_comma_decimal: [['5,2', '5,20']],
  v_number_3dp_comma_decimal: [['5', '5,000']],
  v_number_4dp_comma_decimal: [['1,2345', '1,2345']],
  v_phone: [['415 555 1212', '(415) 555-1212'], ['(415) 555-1212', '(415) 555-1212'], ['+1 415-555-1212', '(415) 555-1212'], ['415.555.1212 x12', '(415) 555-1212 x12']],
  v_phone_australia: [['0412 345 678', '0412 345 678'], ['+61 2 9876 5432', '(02) 9876 5432']],
  v_postalcode_australia: [['2000', '2000']],
  v_postalcode_canada: [['k1a0b1', 'K1A 0B1'], ['K1A 0B1', 'K1A 0B1']],
  v_postalcode_french: [['75001', '75001']],
  v_postalcode_germany: [['10115', '10115']],
  v_ssn: [['123-45-6789', '123-45-6789'], ['123456789', '123-45-6789'], ['123 45 6789', '123-45-6789']],
  v_time_hh_mm: [['14:30', '14:30'], ['9:05', '09:05'], ['2:30 pm', '14:30'], ['2pm', '14:00'], ['12:15 a.m.', '00:15'], ['now', '12:00']],
  v_time_hh_mm_ss: [['14:30:15', '14:30:15'], ['14:30', '14:30:00'], ['1:02:03 pm', '13:02:03']],
  v_time_mm_ss: [['04:30', '04:30'], ['4:30', '04:30'], ['59:59', '59:59']],
  v_vmrn: [['1234', '1234'], ['123456789', '123456789']],
  v_zipcode: [['94043', '94043'], ['94043-1234', '94043-1234'], ['940431234', '94043-1234']],
};

const DATE_DMY = 'Please reply with a date as day-month-year, e.g. 05-03-2026.';
const DATE_MDY = 'Please reply with a date as month-day-year, e.g. 03-05-2026.';
const NO_DATE_MDY = 'That date does not exist. Please reply with a date as month-day-year, e.g. 03-05-2026.';
const NUMBER = 'Please reply with a number, e.g. 12.5.';
const NO_COMMA = 'Please write the number without commas, with a point for decimals, e.g. 1500 or 12.5.';

const REJECTED: Record<string, [reply: string, message: string][]> = {
  v_alpha_only: [['abc1', 'Please reply with letters only.'], ['two words', 'Please reply with letters only.']],
  v_date_dmy: [['32-1-2026', 'That date does not exist. Please reply with a date as day-month-year, e.g. 05-03-2026.'], ['5-3-26', DATE_DMY], ['yesterday', DATE_DMY]],
  v_date_mdy: [['2/30/2026', NO_DATE_MDY], ['2/29/2025', NO_DATE_MDY], ['13/1/2026', NO_DATE_MDY], ['March 2026', DATE_MDY], ['soon', DATE_MDY]],
  v_date_ymd: [['2026-02-30', 'That date does not exist. Please reply with a date as year-month-day, e.g. 2026-03-05.'], ['05-03-2026', 'Please reply with a date as year-month-day, e.g. 2026-03-05.']],
  v_datetime_dmy: [['5-3-2026', 'Please reply with a date and time as day-month-year HH:MM, e.g. 05-03-2026 14:30.'], ['31-2-2026 10:00', 'That date does not exist. Please reply with a date as day-month-year, e.g. 05-03-2026.']],
  v_datetime_mdy: [['3-5-2026 25:00', 'Please reply with a date and time as month-day-year HH:MM, e.g. 03-05-2026 14:30.'], ['3-5-2026 14:30:15', 'Please reply with a date and time as month-day-year HH:MM, e.g. 03-05-2026 14:30.']],
  v_datetime_ymd: [['2026-03-05 14:60', 'Please reply with a date and time as year-month-day HH:MM, e.g. 2026-03-05 14:30.']],
  v_datetime_seconds_dmy: [['5-3-2026 14:30:61', 'Please reply with a date and time as day-month-year HH:MM:SS, e.g. 05-03-2026 14:30:00.']],
  v_datetime_seconds_mdy: [['14:30:00', 'Please reply with a date and time as month-day-year HH:MM:SS, e.g. 03-05-2026 14:30:00.']],
  v_datetime_seconds_ymd: [['tomorrow noon', 'Please reply with a date and time as year-month-day HH:MM:SS, e.g. 2026-03-05 14:30:00.']],
  v_email: [['joe@', 'Please reply with a valid email address, like joe@example.com.'], ['joe example.com', 'Please reply with a valid email address, like joe@example.com.']],
  v_integer: [['4.5', 'Please reply with a whole number, e.g. 42.'], ['forty', 'Please reply with a whole number, e.g. 42.'], ['1e3', 'Please reply with a whole number, e.g. 42.'], ['415 555 1212', 'Please reply with one whole number, without spaces, e.g. 42.'], ['1,500', 'Please write the whole number without commas or points, e.g. 1500.']],
  v_mrn_10d: [['123456789', 'Please reply with a 10-digit number.']],
  v_mrn_generic: [['AB 12', 'Please reply with letters and digits only.']],
  v_number: [['abc', NUMBER], ['1.2.3', NUMBER], ['-', NUMBER], ['3,14', NO_COMMA], ['1 5', 'Please reply with one number, without spaces, e.g. 12.5.']],
  v_number_1dp: [['5.25', 'Too many digits after the decimal point. Please reply with a number like 12.5.'], ['5,2', NO_COMMA]],
  v_number_2dp: [['5.255', 'Too many digits after the decimal point. Please reply with a number like 12.50.'], ['x', 'Please reply with a number, e.g. 12.50.']],
  v_number_3dp: [['1.0001', 'Too many digits after the decimal point. Please reply with a number like 12.500.']],
  v_number_4dp: [['1e2', 'Please reply with a number, e.g. 12.5000.']],
  v_number_comma_decimal: [['1,2,3', 'Please reply with a number, e.g. 12,5.'], ['3.14', 'Please write the number without points, with a comma for decimals, e.g. 1500 or 12,5.']],
  v_number_1dp_comma_decimal: [['5,25', 'Too many digits after the decimal point. Please reply with a number like 12,5.']],
  v_number_2dp_comma_decimal: [['five', 'Please reply with a number, e.g. 12,50.']],
  v_number_3dp_comma_decimal: [['1,23456', 'Too many digits after the decimal point. Please reply with a number like 12,500.']],
  v_number_4dp_comma_decimal: [['?', 'Please reply with a number, e.g. 12,5000.']],
  v_phone: [['555 1212', 'Please reply with a 10-digit phone number, like 415 555 1212.'], ['115 555 1212', 'Please reply with a 10-digit phone number, like 415 555 1212.'], ['+44 20 7946 0018', 'Please reply with a 10-digit phone number, like 415 555 1212.']],
  v_phone_australia: [['12345', 'Please reply with an Australian phone number, like 0412 345 678.']],
  v_postalcode_australia: [['200', 'Please reply with a 4-digit postcode, like 2000.']],
  v_postalcode_canada: [['D1A 0B1', 'Please reply with a postal code like K1A 0B1.'], ['12345', 'Please reply with a postal code like K1A 0B1.']],
  v_postalcode_french: [['7500', 'Please reply with a 5-digit postal code, like 75001.']],
  v_postalcode_germany: [['1011A', 'Please reply with a 5-digit postal code, like 10115.']],
  v_ssn: [['123-45-678', 'Please reply with a 9-digit Social Security number, like 123-45-6789.']],
  v_time_hh_mm: [['24:00', 'Please reply with a time as HH:MM (24-hour), e.g. 14:30.'], ['13pm', 'Please reply with a time as HH:MM (24-hour), e.g. 14:30.'], ['14', 'Please reply with a time as HH:MM (24-hour), e.g. 14:30.'], ['14:30:15', 'Please reply with a time as HH:MM (24-hour), e.g. 14:30.']],
  v_time_hh_mm_ss: [['14:30:60', 'Please reply with a time as HH:MM:SS (24-hour), e.g. 14:30:00.']],
  v_time_mm_ss: [['60:00', 'Please reply with minutes and seconds as MM:SS, e.g. 04:30.'], ['4m30s', 'Please reply with minutes and seconds as MM:SS, e.g. 04:30.']],
  v_vmrn: [['123', 'Please reply with a number of 4 to 9 digits.'], ['1234567890', 'Please reply with a number of 4 to 9 digits.']],
  v_zipcode: [['9404', 'Please reply with a 5- or 9-digit ZIP code, like 94043.'], ['94043-12', 'Please reply with a 5- or 9-digit ZIP code, like 94043.']],
};

const validated = survey.fields.filter((f) => f.type === 'text' && f.validation !== null);

describe('text validation types of the REDCapR validation-types dictionary', () => {
  it('when the fixture is read, then every validation type in it has accepted and rejected rows here', () => {
    const names = validated.map((f) => f.name).sort();
    expect(Object.keys(ACCEPTED).sort()).toEqual(names);
    expect(Object.keys(REJECTED).sort()).toEqual(names);
  });

  const acceptedRows = Object.entries(ACCEPTED).flatMap(([name, rows]) => rows.map(([reply, stored]) => ({ name, reply, stored })));
  it.each(acceptedRows)('when $name gets "$reply", then it stores "$stored"', ({ name, reply, stored }) => {
    expect(storedOrWhy(fieldOf(survey, name), reply)).toBe(stored);
  });

  const rejectedRows = Object.entries(REJECTED).flatMap(([name, rows]) => rows.map(([reply, why]) => ({ name, reply, why })));
  it.each(rejectedRows)('when $name gets "$reply", then it is rejected: $why', ({ name, reply, why }) => {
    expect(storedOrWhy(fieldOf(survey, name), reply)).toBe(`rejected: ${why}`);
  });
});
