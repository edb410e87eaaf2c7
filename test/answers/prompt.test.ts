import { describe, expect, it } from 'vitest';
import { renderPrompt, type PromptInput } from '../../src/answers/index.js';
import type { Field, Survey } from '../../src/dictionary/model.js';
import { englishCatalog } from '../../src/messages/catalog.js';
import { fieldOf, loadFixture, tagsOf, testField, testSurvey } from './helpers.js';

const types = loadFixture('redcapr-validation-types-1.csv');
const ccc19 = loadFixture('ccc19-data-dictionary.csv');
const longitudinal = loadFixture('redcapr-longitudinal.csv');

function prompt(survey: Survey, field: Field, overrides: Partial<PromptInput> = {}) {
  return renderPrompt({
    survey, field, tags: field.tags, pipe: (t) => t, catalog: englishCatalog, lead: [], record: {}, ...overrides,
  });
}

describe('the question text for each field type', () => {
  it.each([
    ['f_radio', 'Radio Buttons (0) Zero, (1) One, (2) Two. (Reply SKIP to skip)'],
    ['f_dropdown', 'Dropdown (0) Zero, (1) One, (2) Two. (Reply SKIP to skip)'],
    ['f_yes_no', 'Yes - No (1) Yes, (0) No. (Reply SKIP to skip)'],
    ['f_true_false', 'True -False (1) True, (0) False. (Reply SKIP to skip)'],
    ['f_checkbox', 'Checkboxes (0) Zero, (1) One, (2) Two. Reply with one or more numbers, e.g. 0,2. (Reply SKIP to skip)'],
    ['f_slider', 'Slider Reply with a number from -1 to 101. (Reply SKIP to skip)'],
    ['f_notes', 'Notes Box (Reply SKIP to skip)'],
    ['f_text', 'text box (no validation) (Reply SKIP to skip)'],
    ['v_date_mdy', 'Date (M-D-Y) (month-day-year) (Reply SKIP to skip)'],
    ['v_datetime_dmy', 'Datetime (D-M-Y H:M) (day-month-year HH:MM, 24-hour) (Reply SKIP to skip)'],
    ['v_datetime_seconds_ymd', 'Datetime w/ seconds (Y-M-D H:M:S) (year-month-day HH:MM:SS, 24-hour) (Reply SKIP to skip)'],
    ['v_time_hh_mm', 'Time (HH:MM) (HH:MM, 24-hour) (Reply SKIP to skip)'],
    ['v_time_mm_ss', 'Time (MM:SS) (minutes and seconds, MM:SS) (Reply SKIP to skip)'],
    ['v_integer', 'Integer (a whole number) (Reply SKIP to skip)'],
    ['v_number', 'Number (a number) (Reply SKIP to skip)'],
    ['v_number_2dp', 'Number (2 decimal places) (a number like 12.50) (Reply SKIP to skip)'],
    ['v_number_comma_decimal', 'Number (comma as decimal) (a number like 12,5) (Reply SKIP to skip)'],
    ['v_phone', 'Phone (North America) (a 10-digit phone number) (Reply SKIP to skip)'],
    ['v_zipcode', 'Zipcode (U.S.) (a 5-digit ZIP code) (Reply SKIP to skip)'],
    ['v_ssn', 'Social Security Number (U.S.) (a 9-digit Social Security number) (Reply SKIP to skip)'],
  ])('when %s is asked, then the text is "%s"', (name, text) => {
    expect(prompt(types, fieldOf(types, name)).text).toBe(text);
  });

  it('when a slider has labels, then the scale explains them', () => {
    expect(prompt(longitudinal, fieldOf(longitudinal, 'specify_mood')).text).toMatch(
      /Reply with a number from 0 to 100 \(0 = Very sad, 50 = Indifferent, 100 = Very happy\)\. \(Reply SKIP to skip\)$/,
    );
  });

  it('when the question is required, then it does not offer SKIP', () => {
    const required = { ...fieldOf(types, 'f_radio'), required: true };
    expect(prompt(types, required).text).toBe('Radio Buttons (0) Zero, (1) One, (2) Two.');
  });

  it.each([
    [tagsOf({ hideChoice: ['1'] }), 'Radio Buttons (0) Zero, (2) Two. (Reply SKIP to skip)'],
    [tagsOf({ showChoice: ['1', '2'] }), 'Radio Buttons (1) One, (2) Two. (Reply SKIP to skip)'],
  ])('when choice tags %j apply, then only the offered choices are listed', (tags, text) => {
    expect(prompt(types, fieldOf(types, 'f_radio'), { tags }).text).toBe(text);
  });

  it.each([
    [tagsOf({ maxChecked: 2 }), 'f_checkbox', 'Checkboxes (0) Zero, (1) One, (2) Two. Reply with one or more numbers, e.g. 0,2 (choose up to 2). (Reply SKIP to skip)'],
    [tagsOf({ charLimit: 20 }), 'f_text', 'text box (no validation) (up to 20 characters) (Reply SKIP to skip)'],
    [tagsOf({ wordLimit: 50 }), 'f_notes', 'Notes Box (up to 50 words) (Reply SKIP to skip)'],
  ])('when limit tags %j apply to %s, then the hint says so', (tags, name, text) => {
    expect(prompt(types, fieldOf(types, name), { tags }).text).toBe(text);
  });

  it('when checkbox codes are not numbers, then the hint asks for codes', () => {
    const field = fieldOf(ccc19, 'covid_19_tx_interleukin');
    expect(prompt(ccc19, field).text).toContain('(L04AC14) Sarilumab, (OTH) Other. Reply with one or more of the codes, e.g. L04AC14,OTH.');
  });
});

describe('labels as a participant reads them', () => {
  it('when the label is HTML with a link, then tags go and the link keeps its address', () => {
    const text = prompt(ccc19, fieldOf(ccc19, 'steroid_specific_2')).text;
    expect(text).toMatch(/^Steroid dosing, in prednisone dose equivalents \(https:\/\/hemonc\.org\/wiki\/Steroid_conversions\)\n/);
    expect(text).not.toMatch(/<|&nbsp;/);
  });

  it('when the label and choices pipe other fields, then the pipe is applied to both', () => {
    const field = testField({ name: 'pet', type: 'radio', label: 'Is [pet_name] <b>well</b>?', choices: [{ code: '1', label: '[pet_name] is fine' }] });
    const pipe = (t: string): string => t.replaceAll('[pet_name]', 'Rex');
    expect(prompt(testSurvey([field]), field, { pipe }).text).toBe('Is Rex well? (1) Rex is fine. (Reply SKIP to skip)');
  });
});

describe('lead texts and long prompts', () => {
  const field = fieldOf(types, 'f_yes_no');

  it('when the section header and descriptive text fit, then they come in the same message, in order', () => {
    const result = prompt(types, field, { lead: ['<b>Part 2</b>', 'Please answer honestly.'] });
    expect(result.parts).toEqual(['Part 2\n\nPlease answer honestly.\n\nYes - No (1) Yes, (0) No. (Reply SKIP to skip)']);
    expect(result.segments).toBe(1);
  });

  it('when everything together is over 1,600 characters, then the parts are ordered and each fits', () => {
    const longIntro = Array.from({ length: 300 }, (_, i) => `word${i}`).join(' ');
    const result = prompt(types, field, { lead: ['Header', longIntro] });
    expect(result.parts.length).toBeGreaterThan(1);
    expect(result.parts.every((p) => p.length <= 1600)).toBe(true);
    expect(result.parts[0]?.startsWith('Header\n\nword0 ')).toBe(true);
    expect(result.parts.at(-1)?.endsWith('Yes - No (1) Yes, (0) No. (Reply SKIP to skip)')).toBe(true);
    expect(result.parts.join(' ').replace(/\s+/g, ' ')).toBe(result.text.replace(/\s+/g, ' '));
  });

  it('when a prompt is measured, then the segment count follows GSM-7 and UCS-2 limits', () => {
    const label = 'x'.repeat(150);
    const ascii = testField({ name: 'a', type: 'text', label, required: true });
    const accented = testField({ name: 'b', type: 'text', label: `${label} ✓`, required: true });
    expect(prompt(testSurvey([ascii]), ascii).segments).toBe(1);
    expect(prompt(testSurvey([accented]), accented).segments).toBe(3);
  });

  it('when a later matrix row is asked, then the matrix header is not repeated (it came with the first row)', () => {
    const choices = [{ code: '1', label: 'Never' }, { code: '2', label: 'Often' }];
    const first = testField({ name: 'sleep', type: 'radio', label: 'Sleep', choices, sectionHeader: 'How often do you…', matrix: { group: 'freq', ranking: false } });
    const second = testField({ name: 'eat', type: 'radio', label: 'Eat', choices, matrix: { group: 'freq', ranking: false } });
    const survey = testSurvey([first, second]);
    expect(prompt(survey, second).parts).toEqual(['Eat (1) Never, (2) Often. (Reply SKIP to skip)']);
    expect(prompt(survey, first, { lead: ['How often do you…'] }).text).toBe('How often do you…\n\nSleep (1) Never, (2) Often. (Reply SKIP to skip)');
  });

  it('when a ranking matrix row is asked, then choices other rows took are not offered', () => {
    const choices = [{ code: '1', label: 'A' }, { code: '2', label: 'B' }];
    const rows = ['r1', 'r2'].map((name) => testField({ name, type: 'radio', label: name, choices, required: true, matrix: { group: 'rank', ranking: true } }));
    const [, second] = rows;
    if (second === undefined) throw new Error('two rows expected');
    expect(prompt(testSurvey(rows), second, { record: { r1: '2' } }).text).toBe('r2 (1) A.');
  });
});
