/** Field embedding in the dictionary: which `{placeholder}` embeds which field, the order a text survey asks them, and the warnings. */
import { describe, expect, it } from 'vitest';
import { askOrder, scanEmbedding, surveyEmbedding } from '../../src/dictionary/index.js';
import { designerCsv, loadSurvey, readFixture } from './helpers.js';

describe('scanEmbedding', () => {
  it.each<[string, string[]]>([
    ['Blood pressure {bp_sys} / {bp_dia}', ['bp_sys', 'bp_dia']],
    ['Weight {unit:icons}', ['unit']],
    ['{see note} and {0} and {Upper} are prose', []],
    ['<td>{a}</td><td>{b_2}</td>', ['a', 'b_2']],
    ['no braces at all', []],
    ['{a:value} is not an embedding modifier', []],
  ])('when the text is %j, then the embedded names are %j', (text, names) => {
    expect(scanEmbedding(text).map((ref) => ref.name)).toEqual(names);
  });

  it('when a placeholder is found, then its offsets cover the braces', () => {
    const text = 'x {abc:icons} y';
    const [ref] = scanEmbedding(text);
    expect(text.slice(ref?.start, ref?.end)).toBe('{abc:icons}');
  });
});

describe('askOrder and hosts', () => {
  const survey = loadSurvey(designerCsv(
    ['record_id', 'f', '', 'text', 'ID'],
    ['unit', 'f', '', 'radio', '', '1, kg | 2, lb'],
    ['weight', 'f', '', 'text', 'Weight {unit}'],
    ['table', 'f', 'Vitals {pulse}', 'descriptive', 'Pressure {sys}/{dia}'],
    ['other', 'f', '', 'radio', 'Race', '1, White | 6, Other {other_text}'],
    ['sys', 'f', '', 'text', ''],
    ['dia', 'f', '', 'text', 'Diastolic {dia_arm}', '', 'arm used: {arm_note}'],
    ['dia_arm', 'f', '', 'text', 'Arm'],
    ['arm_note', 'f', '', 'text', 'Note'],
    ['pulse', 'f', '', 'text', 'Pulse'],
    ['other_text', 'f', '', 'text', 'Other race'],
    ['plain', 'f', '', 'text', 'Not embedded'],
  ));

  it('when fields are embedded, then each is asked right after its host in the order of its placeholder, nested ones depth first', () => {
    expect(askOrder(survey, survey.instruments[0]!)).toEqual([
      'record_id', 'weight', 'unit', 'table', 'pulse', 'sys', 'dia', 'dia_arm', 'arm_note', 'other', 'other_text', 'plain', 'f_complete',
    ]);
  });

  it.each<[string, string]>([
    ['unit', 'weight'], ['pulse', 'table'], ['sys', 'table'], ['dia', 'table'], ['dia_arm', 'dia'], ['arm_note', 'dia'], ['other_text', 'other'],
  ])('when %s is embedded, then its host is %s', (name, host) => {
    expect(surveyEmbedding(survey).hostOf.get(name)).toBe(host);
  });

  it('when the dictionary embeds nothing, then the order is the dictionary order', () => {
    const plain = loadSurvey(readFixture('redcapr-simple.csv'), 'csv');
    for (const instrument of plain.instruments) expect(askOrder(plain, instrument)).toEqual(instrument.fields);
  });
});

describe('embedding warnings', () => {
  const survey = loadSurvey(designerCsv(
    ['record_id', 'f', '', 'text', 'ID'],
    ['a', 'f', '', 'text', 'A {b} {nope} {a}'],
    ['b', 'f', '', 'text', 'B {a}'],
    ['c', 'f', '', 'text', 'C {b} {f_complete} {x}'],
    ['x', 'g', '', 'text', 'X'],
  ));

  it.each<[string, RegExp]>([
    ['a', /\{nope\} names no field: it is sent as written/],
    ['a', /\{a\} embeds the field in itself/],
    ['b', /\{a\} would embed a field in one it hosts/],
    ['c', /\{b\} is already embedded in a/],
    ['c', /\{f_complete\} is the form status/],
    ['c', /\{x\} is on instrument "g", and REDCap embeds only fields of the same instrument/],
  ])('when field %s holds a placeholder REDCap would not embed, then the check warns: %s', (name, message) => {
    expect(surveyEmbedding(survey).diagnostics).toContainEqual(expect.objectContaining({ severity: 'warning', field: name, message: expect.stringMatching(message) }));
  });

  it('when placeholders are refused, then the fields they name keep their own place', () => {
    expect(askOrder(survey, survey.instruments[0]!)).toEqual(['record_id', 'a', 'b', 'c', 'f_complete']);
  });
});
