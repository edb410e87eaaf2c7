import { describe, expect, it } from 'vitest';
import { replyTo, fieldOf, loadFixture, storedOrWhy, tagsOf, testField, testSurvey } from './helpers.js';

const types = loadFixture('redcapr-validation-types-1.csv');
const ccc19 = loadFixture('ccc19-data-dictionary.csv');
const longitudinal = loadFixture('redcapr-longitudinal.csv');

const ZERO_ONE_TWO = 'That is not one of the choices. Please reply with 0, 1 or 2.';

describe('single-choice fields (radio, dropdown, yesno, truefalse)', () => {
  it.each([
    ['f_radio', '1', '1'], ['f_radio', ' 2 ', '2'], ['f_radio', '(2)', '2'], ['f_radio', '2.', '2'],
    ['f_radio', 'two', '2'], ['f_radio', 'TWO!', '2'], ['f_radio', '1 One', '1'], ['f_radio', '00', '0'],
    ['f_dropdown', 'Zero', '0'], ['f_dropdown', '0', '0'],
    ['f_yes_no', '1', '1'], ['f_yes_no', '0', '0'], ['f_yes_no', 'Yes', '1'], ['f_yes_no', 'y', '1'], ['f_yes_no', 'NO.', '0'], ['f_yes_no', 'n', '0'],
    ['f_true_false', 'true', '1'], ['f_true_false', 'F', '0'], ['f_true_false', 'False', '0'], ['f_true_false', '1', '1'],
  ])('when %s gets "%s", then it stores %s', (name, reply, stored) => {
    expect(storedOrWhy(fieldOf(types, name), reply)).toBe(stored);
  });

  it.each([
    ['f_radio', '3', `rejected: ${ZERO_ONE_TWO}`], ['f_radio', 'three', `rejected: ${ZERO_ONE_TWO}`],
    ['f_dropdown', '1,2', `rejected: ${ZERO_ONE_TWO}`],
    ['f_yes_no', 'maybe', 'rejected: That is not one of the choices. Please reply with 1 or 0.'],
    ['f_true_false', 'yes', 'rejected: That is not one of the choices. Please reply with 1 or 0.'],
  ])('when %s gets "%s", then it is %s', (name, reply, why) => {
    expect(storedOrWhy(fieldOf(types, name), reply)).toBe(why);
  });

  it('when choices are hidden by @HIDECHOICE, then they are not accepted and not named', () => {
    const location = fieldOf(ccc19, 'location');
    expect(storedOrWhy(location, 'Germany', { survey: ccc19 })).toBe(
      'rejected: That is not one of the choices. Please reply with 1, EU, 11, 39, 140, 224 or 0.',
    );
    expect(storedOrWhy(location, 'eu', { survey: ccc19 })).toBe('EU');
    expect(storedOrWhy(location, 'canada', { survey: ccc19 })).toBe('39');
  });

  it('when @SHOWCHOICE lists codes, then only those are accepted', () => {
    const field = fieldOf(types, 'f_radio');
    const tags = tagsOf({ showChoice: ['0', '2'] });
    expect(storedOrWhy(field, '1', { tags })).toBe('rejected: That is not one of the choices. Please reply with 0 or 2.');
    expect(storedOrWhy(field, '2', { tags })).toBe('2');
  });

  it('when a ranking matrix row gets a choice another row used, then it says so', () => {
    const choices = [{ code: '1', label: 'First' }, { code: '2', label: 'Second' }, { code: '3', label: 'Third' }];
    const rows = ['rank_a', 'rank_b', 'rank_c'].map((name) =>
      testField({ name, type: 'radio', choices, matrix: { group: 'ranks', ranking: true } }));
    const survey = testSurvey(rows);
    const [, rowB] = rows;
    if (rowB === undefined) throw new Error('three rows expected');
    expect(storedOrWhy(rowB, '1', { survey, record: { rank_a: '1' } })).toBe(
      'rejected: That choice is already used for another row. Please reply with 2 or 3.',
    );
    expect(storedOrWhy(rowB, 'third', { survey, record: { rank_a: '1' } })).toBe('3');
  });
});

describe('checkbox fields', () => {
  const box = fieldOf(types, 'f_checkbox');
  const ticked = (...codes: string[]): Record<string, string> =>
    Object.fromEntries(['0', '1', '2'].map((c) => [`f_checkbox___${c}`, codes.includes(c) ? '1' : '0']));

  it.each([
    ['1', ticked('1')], ['0,2', ticked('0', '2')], ['0 2', ticked('0', '2')], ['2, 0 and 1', ticked('0', '1', '2')],
    ['one and two', ticked('1', '2')], ['Zero, Two', ticked('0', '2')], ['1;1', ticked('1')], ['(1) (2)', ticked('1', '2')],
    ['1 & 2', ticked('1', '2')],
  ])('when it gets "%s", then every option is stored as 1 or 0', (reply, values) => {
    expect(replyTo(box, reply)).toEqual({ kind: 'accepted', values });
  });

  it.each([
    ['3', 'rejected: "3" is not one of the choices. Please reply with one or more of 0, 1 or 2.'],
    ['1, seven', 'rejected: "seven" is not one of the choices. Please reply with one or more of 0, 1 or 2.'],
    [',,,', 'rejected: Please reply with an answer.'],
  ])('when it gets "%s", then it is %s', (reply, why) => {
    expect(storedOrWhy(box, reply)).toBe(why);
  });

  it('when a label has several words, then the label is matched as one option', () => {
    const meds = fieldOf(ccc19, 'concomitant_meds');
    const outcome = replyTo(meds, 'Systemic corticosteroids, Chloroquine', { survey: ccc19 });
    expect(outcome.kind).toBe('accepted');
    const values = outcome.kind === 'accepted' ? outcome.values : {};
    expect(Object.entries(values).filter(([, v]) => v === '1').map(([k]) => k)).toEqual([
      'concomitant_meds___h02', 'concomitant_meds___rxcui_2393',
    ]);
    expect(Object.keys(values)).toHaveLength(meds.choices.length);
  });

  it('when @NONEOFTHEABOVE is combined with another option, then it is rejected', () => {
    const meds = fieldOf(ccc19, 'concomitant_meds');
    const none = meds.choices.find((c) => c.code === 'NONE');
    expect(storedOrWhy(meds, 'H02, NONE', { survey: ccc19 })).toBe(
      `rejected: "${none?.label ?? ''}" cannot be combined with other choices. Please reply again.`,
    );
    expect(replyTo(meds, 'none', { survey: ccc19 }).kind).toBe('accepted');
  });

  it('when @HIDECHOICE hides an option, then it cannot be ticked and keeps the value the record had', () => {
    const meds = fieldOf(ccc19, 'concomitant_meds');
    expect(replyTo(meds, 'C07A', { survey: ccc19 }).kind).toBe('rejected');
    const outcome = replyTo(meds, 'H02', { survey: ccc19, record: { concomitant_meds___c07a: '1' } });
    expect(outcome.kind === 'accepted' ? outcome.values['concomitant_meds___c07a'] : undefined).toBe('1');
  });

  it('when more options than @MAXCHECKED are ticked, then it is rejected', () => {
    expect(storedOrWhy(box, '0,1,2', { tags: tagsOf({ maxChecked: 2 }) })).toBe('rejected: Please choose at most 2.');
    expect(replyTo(box, '0,1', { tags: tagsOf({ maxChecked: 2 }) }).kind).toBe('accepted');
  });
});

describe('slider, notes, plain text and fields SMS cannot ask', () => {
  const mood = fieldOf(longitudinal, 'specify_mood');
  const slider = fieldOf(types, 'f_slider');
  it.each([
    [mood, '0', '0'], [mood, '100', '100'], [mood, '55%', '55'], [slider, '-1', '-1'], [slider, '101', '101'],
    [mood, '101', 'rejected: Please reply with a whole number from 0 to 100.'],
    [mood, '4.5', 'rejected: Please reply with a whole number from 0 to 100.'],
    [slider, '-2', 'rejected: Please reply with a whole number from -1 to 101.'],
  ])('when slider %# gets "%s", then it gives %s', (field, reply, expected) => {
    expect(storedOrWhy(field, reply)).toBe(expected);
  });

  it.each([
    ['f_notes', 'line one\nline two', 'line one\nline two'],
    ['f_notes', ' tabs\tand\u0007bells ', 'tabs\tandbells'],
    ['f_text', 'first\nsecond', 'first second'],
    ['f_text', "Robert'); DROP TABLE students;--", "Robert'); DROP TABLE students;--"],
    ['f_text', '😀 fine', '😀 fine'],
    ['f_text', '', 'rejected: Please reply with an answer.'],
    ['f_calculated', '7', 'rejected: This question cannot be answered by text message.'],
    ['f_file_upload', 'file.pdf', 'rejected: This question cannot be answered by text message.'],
    ['f_signature', 'J. Doe', 'rejected: This question cannot be answered by text message.'],
    ['f_descriptive', 'ok', 'rejected: This question cannot be answered by text message.'],
    ['f_sql', '1', 'rejected: This question cannot be answered by text message.'],
  ])('when %s gets %j, then it gives %j', (name, reply, expected) => {
    expect(storedOrWhy(fieldOf(types, name), reply)).toBe(expected);
  });

  it.each([
    [tagsOf({ charLimit: 5 }), 'abcdef', 'rejected: Please keep your answer to 5 characters or fewer (yours has 6).'],
    [tagsOf({ charLimit: 5 }), 'abcde', 'abcde'],
    [tagsOf({ wordLimit: 2 }), 'one two three', 'rejected: Please keep your answer to 2 words or fewer (yours has 3).'],
    [tagsOf({ wordLimit: 2 }), 'one  two', 'one  two'],
  ])('when limits %# apply, then "%s" gives %s', (tags, reply, expected) => {
    expect(storedOrWhy(fieldOf(types, 'f_notes'), reply, { tags })).toBe(expected);
  });

  it('when the validation type is unknown to REDCap built-ins, then the reply is kept as plain text', () => {
    const field = testField({ name: 'custom', type: 'text', validation: 'year_only' });
    expect(storedOrWhy(field, ' 1999 ')).toBe('1999');
  });
});
