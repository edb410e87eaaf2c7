import { describe, expect, it } from 'vitest';
import { evaluate } from './helpers.js';

// NOW is 2024-03-10 15:04:05 UTC.
describe('REDCap functions', () => {
  it.each([
    ['if, true branch', "if([n] > 1, 'big', 'small')", { n: '2' }, 'big'],
    ['if, false branch', "if([n] > 1, 'big', 'small')", { n: '0' }, 'small'],
    ['if with a blank condition', "if([n], 'yes', 'no')", {}, 'no'],
    ['round to places', 'round(2.345, 2)', {}, 2.35],
    ['round half away from zero', 'round(-2.5)', {}, -3],
    ['round without places rounds to an integer (decision 0004)', 'round(2.5)', {}, 3],
    ['round hides binary noise', 'round(1.005, 2)', {}, 1.01],
    ['round to tens', 'round(1234, -1)', {}, 1230],
    ['round blank', 'round([n], 1)', {}, ''],
    ['roundup', 'roundup(2.01, 1)', {}, 2.1],
    ['roundup away from zero', 'roundup(-2.01)', {}, -3],
    ['rounddown', 'rounddown(2.99)', {}, 2],
    ['rounddown toward zero', 'rounddown(-2.99, 1)', {}, -2.9],
    ['sqrt', 'sqrt(16)', {}, 4],
    ['sqrt of a negative', 'sqrt(-1)', {}, ''],
    ['abs', 'abs(-3)', {}, 3],
    ['exponential', 'round(exponential(1), 5)', {}, 2.71828],
    ['log, natural', 'round(log(10), 4)', {}, 2.3026],
    ['log with a base', 'log(8, 2)', {}, 3],
    ['mod', 'mod(10, 3)', {}, 1],
    ['mod by zero', 'mod(10, 0)', {}, ''],
    ['min skips blanks', 'min([n], 3, 5)', {}, 3],
    ['max skips blanks', 'max([n], 3, 5)', {}, 5],
    ['sum skips blanks', 'sum([n], [m], 2)', { m: '3' }, 5],
    ['sum of only blanks', 'sum([n], [m])', {}, ''],
    ['mean skips blanks', 'mean([n], 2, 4)', {}, 3],
    ['median, odd', 'median(5, 1, 3)', {}, 3],
    ['median, even', 'median(4, 1, 3, [n], 2)', {}, 2.5],
    ['stdev (sample)', 'stdev(2, 4, 4, 4, 5, 5, 7, 9)', {}, Math.sqrt(32 / 7)],
    ['stdev of one value', 'stdev(2, [n])', {}, ''],
    ['isnumber', "isnumber('1.5e3')", {}, true],
    ['isnumber on text', "isnumber('abc')", {}, false],
    ['isnumber on blank', 'isnumber([n])', {}, false],
    ['isinteger', "isinteger('-42')", {}, true],
    ['isinteger on a decimal', "isinteger('4.2')", {}, false],
    ['isblankormissingcode on blank', 'isblankormissingcode([n])', {}, true],
    ['isblankormissingcode on a missing code', 'isblankormissingcode([name])', { name: 'UNK' }, true],
    ['isblanknotmissingcode on a missing code', 'isblanknotmissingcode([name])', { name: 'UNK' }, false],
    ['ismissingcode', 'ismissingcode([name])', { name: 'UNK' }, true],
    ['ismissingcode on an answer', 'ismissingcode([name])', { name: 'Ann' }, false],
    ['hasmissingcode', 'hasmissingcode([name])', { name: 'NA' }, true],
    ['contains, case-insensitive', "contains([name], 'ANN')", { name: 'Joanne' }, true],
    ['not_contain', "not_contain([name], 'x')", { name: 'Joanne' }, true],
    ['starts_with', "starts_with([name], 'jo')", { name: 'Joanne' }, true],
    ['ends_with', "ends_with([name], 'NE')", { name: 'Joanne' }, true],
    ['find, 1-based', "find('an', [name])", { name: 'Joanne' }, 3],
    ['find, not found', "find('x', [name])", { name: 'Joanne' }, 0],
    ['left', 'left([name], 2)', { name: 'Joanne' }, 'Jo'],
    ['right', 'right([name], 3)', { name: 'Joanne' }, 'nne'],
    ['mid, 1-based', 'mid([name], 2, 3)', { name: 'Joanne' }, 'oan'],
    ['length', 'length([name])', { name: 'Joanne' }, 6],
    ['trim', "trim('  a b ')", {}, 'a b'],
    ['upper', "upper('abc')", {}, 'ABC'],
    ['lower', "lower('ABC')", {}, 'abc'],
    ['replace_text', "replace_text('a-b-c', '-', '+')", {}, 'a+b+c'],
    ['concat', "concat([name], ' ', 1)", { name: 'Jo' }, 'Jo 1'],
    ['concat_ws skips blanks', "concat_ws(', ', 'a', [n], 'b')", {}, 'a, b'],
    ['year', 'year([dob])', { dob: '2001-07-04' }, 2001],
    ['month', 'month([dob])', { dob: '2001-07-04' }, 7],
    ['day', 'day([dob])', { dob: '2001-07-04' }, 4],
    ['dayoftheweek (0 = Sunday)', 'dayoftheweek([dob])', { dob: '2024-03-10' }, 0],
    ['year of blank', 'year([dob])', {}, ''],
  ])('when calling %s, then the result matches REDCap', (_, expression, record, expected) => {
    expect(evaluate(expression, record, { missingCodes: ['UNK', 'NA'] })).toBe(expected);
  });
});

describe('datediff', () => {
  it.each([
    ['days between dates', "datediff('2024-01-01', '2024-01-31', 'd')", 30],
    ['unsigned by default', "datediff('2024-01-31', '2024-01-01', 'd')", 30],
    ['signed when asked', "datediff('2024-01-31', '2024-01-01', 'd', true)", -30],
    ["signed given as 'true'", "datediff('2024-01-31', '2024-01-01', 'd', 'true')", -30],
    ['years of 365.2425 days', "round(datediff('2000-01-01', '2024-01-01', 'y'), 4)", 24.0005],
    ['months of 30.44 days', "datediff('2024-01-01', '2024-01-31', 'M')", 30 / 30.44],
    ['hours between datetimes', "datediff('2024-01-01 08:00', '2024-01-01 10:30', 'h')", 2.5],
    ['minutes', "datediff('2024-01-01 08:00', '2024-01-01 10:30', 'm')", 150],
    ['seconds', "datediff('2024-01-01 08:00:00', '2024-01-01 08:00:42', 's')", 42],
    ['times of day', "datediff('08:00', '09:15', 'm')", 75],
    ['today from the injected clock', "datediff('2024-03-01', 'today', 'd')", 9],
    ['now from the injected clock', "datediff('2024-03-10 15:00', 'now', 'm')", 4 + 5 / 60],
    ['the legacy form with ymd', "datediff('2024-01-01', '2024-01-31', 'd', 'ymd')", 30],
    ['the legacy form with mdy and signed', "datediff('01-31-2024', '01-01-2024', 'd', 'mdy', true)", -30],
    ['the legacy form with dmy', "datediff('31/01/2024', '01/02/2024', 'd', 'dmy')", 1],
    ['legacy mdy on stored ISO dates', "datediff('2024-01-01', '2024-01-03', 'd', 'mdy')", 2],
    ['age in whole years', "rounddown(datediff('2006-03-11', 'today', 'y'))", 17],
  ])('when computing %s, then the result is right', (_, expression, expected) => {
    expect(evaluate(expression)).toBeCloseTo(expected, 9);
  });

  it.each([
    ['a date is blank', "datediff([dob], 'today', 'y')"],
    ['the unit read from a field is unknown', "datediff('2024-01-01', '2024-01-31', [name])"],
    ['a date is impossible', "datediff('2023-02-30', '2024-01-31', 'd')"],
  ])('when %s, then datediff is blank', (_, expression) => {
    expect(evaluate(expression, { name: 'w' })).toBe('');
  });

  it.each([
    ['UTC', 10],
    ['Pacific/Kiritimati', 11], // UTC+14: already 2024-03-11 there
    ['America/Los_Angeles', 10],
  ])("when the time zone is %s, then 'today' is that zone's date", (timeZone, day) => {
    expect(evaluate("datediff('2024-03-01', 'today', 'd')", {}, { timeZone })).toBe(day - 1);
  });
});
