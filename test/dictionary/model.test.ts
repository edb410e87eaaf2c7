/** What each dictionary cell becomes in the survey model. */
import { describe, expect, it } from 'vitest';
import { fieldMap, parseDictionary } from '../../src/dictionary/index.js';
import { SurveySchema } from '../../src/dictionary/model.js';
import { designerCsv, field, loadSurvey, readFixture } from './helpers.js';

const RECORD_ID = ['record_id', 'f', '', 'text', 'ID'];

describe('choices', () => {
  it.each([
    ['0, No | 1, Yes', [['0', 'No'], ['1', 'Yes']]],
    ['1, one|2, two', [['1', 'one'], ['2', 'two']]],
    ['a, Apple, red or green | b, Banana', [['a', 'Apple, red or green'], ['b', 'Banana']]],
    ['OTH-x, Other (specify) | NONE, None of these', [['OTH-x', 'Other (specify)'], ['NONE', 'None of these']]],
    ['-1, Refused | 98, Don\'t know', [['-1', 'Refused'], ['98', 'Don\'t know']]],
  ])('when a radio has choices %j, then they split on the first comma', (cell, expected) => {
    const survey = loadSurvey(designerCsv(RECORD_ID, ['q', 'f', '', 'radio', 'Q', cell]));
    expect(field(survey, 'q').choices.map((c) => [c.code, c.label])).toEqual(expected);
  });

  it.each([
    ['yesno', [['1', 'Yes'], ['0', 'No']]],
    ['truefalse', [['1', 'True'], ['0', 'False']]],
  ])('when a field is %s, then it gets its fixed choices', (type, expected) => {
    const survey = loadSurvey(designerCsv(RECORD_ID, ['q', 'f', '', type, 'Q']));
    expect(field(survey, 'q').choices.map((c) => [c.code, c.label])).toEqual(expected);
  });

  it.each([
    ['1', 'cb___1'], ['-4', 'cb____4'], ['k>=9', 'cb___k__9'], ['ANFL', 'cb___anfl'], ['OTH-plasma', 'cb___oth_plasma'],
  ])('when a checkbox has code %j, then its export column is %s', (code, exportName) => {
    const survey = loadSurvey(designerCsv(RECORD_ID, ['cb', 'f', '', 'checkbox', 'Pick', `${code}, It`]));
    expect(field(survey, 'cb').checkboxExports).toEqual([{ code, exportName }]);
  });
});

describe('other columns', () => {
  const survey = loadSurvey(designerCsv(
    RECORD_ID,
    ['bmi', 'f', 'Results', 'calc', 'BMI', 'round([w]/([h]^2),1)', 'kg/m2'],
    ['mood', 'f', '', 'slider', 'Mood', 'Sad | OK | Happy', '', 'number', '-5', '5'],
    ['pain', 'f', '', 'slider', 'Pain', 'None | Worst'],
    ['visit', 'f', '', 'text', 'Visit', '', '', 'date_ymd', 'today', '[dob]', 'y', '[age] > 1', 'y', 'RH', '2a', '', '', '@HIDDEN-SURVEY'],
    ['seen', 'f', '', 'text', 'Seen', '', '', 'datetime_mdy', 'now', '2030-01-01 00:00'],
    ['m1', 'f', 'Matrix', 'radio', 'Row 1', '1, A | 2, B', '', '', '', '', '', '', '', '', '', 'grid', 'y'],
    ['sig', 'f', '', 'file', 'Sign here', '', '', 'signature'],
    ['odd', 'f', '', 'text', 'Odd', '', '', 'year_only'],
  ));

  it('when a calc field is read, then its expression is kept', () => {
    expect(field(survey, 'bmi')).toMatchObject({ calc: 'round([w]/([h]^2),1)', sectionHeader: 'Results', note: 'kg/m2' });
  });

  it('when a slider has labels, a range and "number", then all three are read', () => {
    expect(field(survey, 'mood').slider).toEqual({ labels: { left: 'Sad', middle: 'OK', right: 'Happy' }, min: -5, max: 5, showNumber: true });
    expect(field(survey, 'mood').validation).toBeNull();
  });

  it('when a slider has two labels and no range, then they are left and right of 0–100', () => {
    expect(field(survey, 'pain').slider).toEqual({ labels: { left: 'None', middle: '', right: 'Worst' }, min: 0, max: 100, showNumber: false });
  });

  it('when min/max are today, now, a field or a literal, then they become bounds', () => {
    expect(field(survey, 'visit')).toMatchObject({ min: { kind: 'today' }, max: { kind: 'field', field: 'dob' } });
    expect(field(survey, 'seen')).toMatchObject({ min: { kind: 'now' }, max: { kind: 'literal', value: '2030-01-01 00:00' } });
  });

  it('when flags and survey columns are set, then they are read', () => {
    expect(field(survey, 'visit')).toMatchObject({
      identifier: true, required: true, branching: '[age] > 1', questionNumber: '2a', annotation: '@HIDDEN-SURVEY',
    });
    expect(field(survey, 'visit').tags.hiddenSurvey).toBe(true);
    expect(field(survey, 'm1').matrix).toEqual({ group: 'grid', ranking: true });
    expect(field(survey, 'bmi')).toMatchObject({ required: false, identifier: false, matrix: null, questionNumber: null, branching: null });
  });

  it('when a file field has the signature validation, then it is kept', () => {
    expect(field(survey, 'sig').validation).toBe('signature');
  });

  it('when the validation is not a REDCap built-in, then it is kept with a warning', () => {
    expect(field(survey, 'odd').validation).toBe('year_only');
  });

  it('when the survey is built, then it is plain JSON that the schema accepts', () => {
    expect(SurveySchema.parse(JSON.parse(JSON.stringify(survey)))).toEqual(survey);
  });

  it('when the form status field is added, then it is a dropdown of 0/1/2 flagged formStatus', () => {
    expect(field(survey, 'f_complete')).toMatchObject({
      form: 'f', type: 'dropdown', formStatus: true,
      choices: [{ code: '0', label: 'Incomplete' }, { code: '1', label: 'Unverified' }, { code: '2', label: 'Complete' }],
    });
    expect(survey.fields.at(-1)?.name).toBe('f_complete');
  });
});

describe('fieldMap', () => {
  it('when asked twice for the same survey, then it returns the same map of every field', () => {
    const survey = loadSurvey(readFixture('redcapr-simple.csv'));
    const map = fieldMap(survey);
    expect(fieldMap(survey)).toBe(map);
    expect(map.size).toBe(survey.fields.length);
    expect(map.get('health_complete')?.formStatus).toBe(true);
  });
});

describe('oddities REDCap accepted', () => {
  it.each([
    ['a label-only choice list', ['q', 'f', '', 'radio', 'Q', 'Red | Green | Blue'], /no codes/],
    ['a choice entry without a comma', ['q', 'f', '', 'radio', 'Q', '1, Red | Green | 3, Blue'], /"Green" has no code/],
    ['a duplicated choice code', ['q', 'f', '', 'dropdown', 'Q', '1, Red | 1, Green'], /"1" appears twice/],
    ['an unknown action tag', ['q', 'f', '', 'text', 'Q', '', '', '', '', '', '', '', '', '', '', '', '', '@NOW_UTC'], /unknown action tag @NOW_UTC/],
    ['an unknown validation', ['q', 'f', '', 'text', 'Q', '', '', 'year_only'], /unknown validation type "year_only"/],
    ['a name ending in _', ['q_', 'f', '', 'text', 'Q'], /ends with "_"/],
  ])('when a field has %s, then it loads with a warning', (_what, row, reason) => {
    const load = parseDictionary(designerCsv(RECORD_ID, row));
    expect(load.survey).not.toBeNull();
    expect(load.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', line: 3, field: row[0], message: expect.stringMatching(reason) })]);
  });

  it('when a dropdown has no choices (an external module fills them), then it loads without a diagnostic', () => {
    const load = parseDictionary(designerCsv(RECORD_ID, ['q', 'f', '', 'dropdown', 'Q']));
    expect(load.diagnostics).toEqual([]);
    expect(load.survey?.fields[1]?.choices).toEqual([]);
  });
});
