import { describe, expect, it } from 'vitest';
import type { Survey } from '../../src/dictionary/model.js';
import { checkDictionary } from '../../src/checks/check-dictionary.js';
import { checkSurveyLogic, parseLogic } from '../../src/logic/index.js';
import { fieldReferences } from '../../src/logic/ast.js';
import { dictionary, fixtureDictionaries, loadFixture, type Row } from './helpers.js';

const BRANCHING = 'Branching Logic (Show field only if...)';
const CHOICES = 'Choices, Calculations, OR Slider Labels';
const ANNOTATION = 'Field Annotation';

const base: Row[] = [
  { name: 'age', type: 'text', validation: 'integer' },
  { name: 'fruit', type: 'checkbox', choices: '1, Apples | 2, Pears' },
];

describe('checkSurveyLogic', () => {
  it.each([
    ['branching that does not parse', { name: 'q', type: 'text', branching: "[age] >= 18 and [fruit(1)] = '1' and" },
      { severity: 'error', line: 5, field: 'q', column: BRANCHING, position: 33 }, 'is not valid REDCap logic'],
    ['branching naming an unknown field', { name: 'q', type: 'text', branching: '[age] > 1 or [agee] > 2' },
      { severity: 'error', field: 'q', column: BRANCHING, position: 13 }, 'refers to [agee]'],
    ['a checkbox code that does not exist', { name: 'q', type: 'text', branching: "[fruit(9)] = '1'" },
      { severity: 'warning', field: 'q', column: BRANCHING, position: 0 }, 'has no such choice'],
    ['a checkbox code on a text field', { name: 'q', type: 'text', branching: "[age(1)] = '1'" },
      { severity: 'warning', field: 'q', column: BRANCHING }, 'not a checkbox'],
    ['a calc that is not logic', { name: 'c', type: 'calc', choices: 'Math.abs([age])' },
      { severity: 'warning', field: 'c', column: CHOICES, position: 4 }, 'treats it as blank'],
    ['a calc naming an unknown field', { name: 'c', type: 'calc', choices: '[nope] + 1' },
      { severity: 'warning', field: 'c', column: CHOICES, position: 0 }, 'refers to [nope]'],
    ['an @CALCTEXT that is not logic', { name: 't', type: 'text', annotation: '@HIDDEN @CALCTEXT(concat([age], ))' },
      { severity: 'warning', field: 't', column: ANNOTATION }, 'the @CALCTEXT of "t"'],
    ['an @IF condition that does not parse', { name: 't', type: 'text', annotation: '@IF([age] >>> 1, @HIDDEN, "")' },
      { severity: 'warning', field: 't', column: ANNOTATION, position: 11 }, 'the @IF condition of "t"'],
    ['an @IF condition naming an unknown field', { name: 't', type: 'text', annotation: "@IF([ghost] = '1', @HIDDEN, '')" },
      { severity: 'warning', field: 't', column: ANNOTATION, position: 4 }, 'refers to [ghost]'],
    ['an @CALCDATE with an unknown field', { name: 'd', type: 'text', validation: 'date_ymd', annotation: "@CALCDATE([ghost], 1, 'd')" },
      { severity: 'warning', field: 'd', column: ANNOTATION, position: 10 }, 'refers to [ghost]'],
    ['an @CALCDATE with a bad unit', { name: 'd', type: 'text', validation: 'date_ymd', annotation: "@CALCDATE([age], 1, 'w')" },
      { severity: 'warning', field: 'd', column: ANNOTATION }, 'use one of y, M, d, h, m, s'],
    ['a min bound naming an unknown field', { name: 'b', type: 'text', validation: 'integer', min: '[ghost]' },
      { severity: 'warning', field: 'b', column: 'Text Validation Min' }, 'the minimum of "b" is [ghost]'],
    ['a label piping an unknown field', { name: 'l', type: 'text', label: 'Hello [first_nam]!' },
      { severity: 'warning', field: 'l', column: 'Field Label', position: 6 }, 'pipes [first_nam]'],
    ['a note piping an unknown field', { name: 'l', type: 'text', note: 'was [ghost]' },
      { severity: 'warning', field: 'l', column: 'Field Note', position: 4 }, 'pipes [ghost]'],
    ['a section header piping an unknown field', { name: 'l', type: 'text', section: 'About [ghost]' },
      { severity: 'warning', field: 'l', column: 'Section Header' }, 'pipes [ghost]'],
    ['a choice label piping an unknown field', { name: 'l', type: 'radio', choices: '1, Same as [ghost] | 2, Other' },
      { severity: 'warning', field: 'l', column: CHOICES }, 'pipes [ghost]'],
    ['a @DEFAULT piping an unknown field', { name: 'l', type: 'text', annotation: "@DEFAULT='[ghost]'" },
      { severity: 'warning', field: 'l', column: ANNOTATION, position: 10 }, 'pipes [ghost]'],
    ['a checkbox compared without an option code', { name: 'q', type: 'text', branching: "[age] > 1 and [fruit] = '2'" },
      { severity: 'warning', field: 'q', column: BRANCHING, position: 14 }, "reads the checkbox [fruit] without an option code, which is not one option's value; to test option 2, write [fruit(2)] = '1'"],
    ['a checkbox read bare in a calc', { name: 'c', type: 'calc', choices: 'if([fruit] <> "", 1, 0)' },
      { severity: 'warning', field: 'c', column: CHOICES, position: 3 }, "to test option 1, write [fruit(1)] = '1'"],
    ['a :label modifier in logic', { name: 'q', type: 'text', branching: "[fruit(1):label] = 'Apples'" },
      { severity: 'warning', field: 'q', column: BRANCHING, position: 0 }, 'logic compares raw values: redcap-sms reads [fruit] and ignores :label'],
    ['a smart variable that needs REDCap', { name: 'q', type: 'text', branching: "[survey-queue-url] = ''" },
      { severity: 'warning', field: 'q', column: BRANCHING, position: 0 }, "uses [survey-queue-url], which redcap-sms cannot know (it needs REDCap's server); it is always blank"],
    ['an event smart variable in a label', { name: 'q', type: 'text', label: 'Visit: [event-label]' },
      { severity: 'warning', field: 'q', column: 'Field Label', position: 7 }, 'uses [event-label], which redcap-sms knows only when the conversation is given its event'],
    ['an arm smart variable in logic', { name: 'q', type: 'text', branching: '[arm-number] = 2' },
      { severity: 'warning', field: 'q', column: BRANCHING, position: 0 }, 'uses [arm-number]'],
  ])('when a dictionary has %s, then one diagnostic says so', (_, row, expected, message) => {
    const diagnostics = checkSurveyLogic(dictionary([...base, row as Row]));
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject(expected);
    expect(diagnostics[0]!.message).toContain(message);
  });

  it.each([
    ['an event-qualified reference to an unknown event', { name: 'q', type: 'text', branching: "[visit_9_arm_1][age] = '1'" }],
    ['smart variables the core answers', { name: 'q', type: 'text', branching: "[record-name] <> '' and [instrument-label] <> [survey-title]" }],
    ['a :value modifier', { name: 'q', type: 'text', branching: "[age:value] > 1 and [fruit(1):value] = '1'" }],
    ['instance references', { name: 'q', type: 'text', branching: '[age][previous-instance] < [age][2]' }],
    ['a checkbox code in another case', { name: 'q', type: 'text', branching: "[FRUIT(1)] = '1'" }],
    ['brackets in a label that are not field names', { name: 'q', type: 'radio', choices: '1, [Lovenox] | 2, [low dose]' }],
    ['a label piping a real field and a smart variable', { name: 'q', type: 'text', label: '[age] in [survey-title]', note: '[fruit:checked]' }],
  ])('when a dictionary has %s, then there is nothing to report', (_, row) => {
    expect(checkSurveyLogic(dictionary([...base, row as Row]))).toEqual([]);
  });

  it('when the branching of a question reads a calc that does not parse, then that is an error', () => {
    const survey = dictionary([
      ...base,
      { name: 'score', type: 'calc', choices: 'Math.max([age], 1)' },
      { name: 'score2', type: 'calc', choices: '[score] * 2' },
      { name: 'q', type: 'text', branching: '[score2] > 3' },
      { name: 'desc', type: 'descriptive', branching: '[score] > 3' },
    ]);
    const diagnostics = checkSurveyLogic(survey);
    expect(diagnostics.map((d) => [d.severity, d.field, d.column])).toEqual([
      ['warning', 'score', CHOICES],
      ['error', 'q', BRANCHING],
      ['error', 'desc', BRANCHING],
    ]);
    expect(diagnostics[1]!.message).toContain('reads "score2"');
  });

  it('when the branching of a calc reads a broken calc, then it stays a warning', () => {
    const survey = dictionary([
      ...base,
      { name: 'score', type: 'calc', choices: 'Math.max([age], 1)' },
      { name: 'other', type: 'calc', choices: '1', branching: '[score] > 3' },
    ]);
    expect(checkSurveyLogic(survey).map((d) => d.severity)).toEqual(['warning']);
  });
});

/** Every logic expression a field carries, with where it comes from. */
function expressionsOf(survey: Survey): { field: string; source: string }[] {
  const found: { field: string; source: string }[] = [];
  for (const field of survey.fields) {
    const add = (source: string | null | undefined): void => {
      if (source !== null && source !== undefined && source.trim() !== '') found.push({ field: field.name, source });
    };
    add(field.branching);
    if (field.type === 'calc') add(field.calc);
    add(field.tags.calcText);
    for (const branch of field.tags.ifs) add(branch.condition);
  }
  return found;
}

describe('the real dictionaries in fixtures/dictionaries', () => {
  const names = fixtureDictionaries();

  it('when the fixtures are listed, then there are real ones with logic to check', () => {
    const total = names.map((name) => expressionsOf(loadFixture(name)).length).reduce((a, b) => a + b, 0);
    expect(names.length).toBeGreaterThanOrEqual(12);
    expect(total).toBeGreaterThan(290);
  });

  it.each(names)('when %s is loaded, then all its logic parses and every field reference resolves', (name) => {
    const survey = loadFixture(name);
    const known = new Set(survey.fields.map((field) => field.name));
    for (const { field, source } of expressionsOf(survey)) {
      const parsed = parseLogic(source);
      expect(parsed.ok, `${field}: ${source}`).toBe(true);
      if (!parsed.ok) continue;
      for (const ref of fieldReferences(parsed.expr)) expect(known.has(ref.name), `${field} reads [${ref.name}]`).toBe(true);
    }
    expect(checkSurveyLogic(survey).filter((d) => d.severity === 'error')).toEqual([]);
  });
});

describe('dictionary check', () => {
  it('when a dictionary has broken branching, then `dictionary check` reports the logic error', () => {
    const csv = [
      'field_name,form_name,section_header,field_type,field_label,select_choices_or_calculations,field_note,text_validation_type_or_show_slider_number,text_validation_min,text_validation_max,identifier,branching_logic,required_field,custom_alignment,question_number,matrix_group_name,matrix_ranking,field_annotation',
      'record_id,f,,text,ID,,,,,,,,,,,,,',
      'q,f,,text,Q,,,,,,,"[nope] = \'1\'",,,,,,',
    ].join('\n');
    const report = checkDictionary(csv, 'csv');
    expect(report.errors).toEqual([expect.objectContaining({ field: 'q', line: 3, column: BRANCHING, position: 0 })]);
  });
});
