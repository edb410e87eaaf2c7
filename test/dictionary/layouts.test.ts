/** The same dictionary in every layout REDCap has written, and in the API's JSON, means the same survey. */
import { describe, expect, it } from 'vitest';
import { parseDictionary, sniffFormat } from '../../src/dictionary/index.js';
import { DESIGNER_HEADER, field, loadSurvey, readFixture } from './helpers.js';

const HEADER_17 = DESIGNER_HEADER.replace(',"Field Annotation"', '');
const HEADER_14 = '"Variable / Field Name","Form Name","Field Units","Section Header","Field Type","Field Label","Choices OR Calculations","Field Note","Text Validation Type","Text Validation Min","Text Validation Max","Identifier?","Branching Logic (Show field only if...)","Required Field?"';
const API_HEADER = 'field_name,form_name,section_header,field_type,field_label,select_choices_or_calculations,field_note,text_validation_type_or_show_slider_number,text_validation_min,text_validation_max,identifier,branching_logic,required_field,custom_alignment,question_number,matrix_group_name,matrix_ranking,field_annotation';

const ROWS_18 = [
  'record_id,intake,,text,"Record ID",,,,,,,,,,,,,',
  'age,intake,"About you",text,"Age",,"years",integer,18,120,,,y,,,,,',
  'pain,intake,,radio,"Pain?","0, None | 1, Some",,,,,,"[age] > 20",,,,,,',
];
const ROWS_17 = ROWS_18.map((row) => row.slice(0, -1));
const ROWS_14 = [
  'record_id,intake,,,text,"Record ID",,,,,,,,',
  'age,intake,kg,"About you",text,"Age",,"years",integer,18,120,,,y',
  'pain,intake,,,radio,"Pain?","0, None | 1, Some",,,,,,"[age] > 20",',
];

const csv = (header: string, rows: string[], eol = '\n'): string => [header, ...rows].join(eol) + eol;

describe('dictionary layouts', () => {
  const reference = loadSurvey(csv(DESIGNER_HEADER, ROWS_18));

  it.each([
    ['the 17-column layout (no Field Annotation)', csv(HEADER_17, ROWS_17)],
    ['the 14-column layout (Field Units, Choices OR Calculations, Text Validation Type)', csv(HEADER_14, ROWS_14)],
    ['the API-style header', csv(API_HEADER, ROWS_18)],
    ['a UTF-8 BOM before the header', `\uFEFF${csv(DESIGNER_HEADER, ROWS_18)}`],
    ['CRLF line endings', csv(DESIGNER_HEADER, ROWS_18, '\r\n')],
    ['a trailing blank line', `${csv(DESIGNER_HEADER, ROWS_18)}\n`],
  ])('when the dictionary uses %s, then it gives the same survey and id', (_layout, text) => {
    const survey = loadSurvey(text);
    expect(survey.id).toBe(reference.id);
    expect(survey.fields.map((f) => [f.name, f.type, f.required, f.branching])).toEqual(
      reference.fields.map((f) => [f.name, f.type, f.required, f.branching]));
    expect(field(survey, 'age').min).toEqual({ kind: 'literal', value: '18' });
  });

  it('when the bytes carry a BOM, then it is dropped before the header is read', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv(DESIGNER_HEADER, ROWS_18))]);
    expect(loadSurvey(bytes).id).toBe(reference.id);
  });

  it('when a cell spans lines in a CRLF file, then the cell keeps \\n breaks and later rows keep their lines', () => {
    const text = csv(DESIGNER_HEADER, ['record_id,intake,,text,ID,,,,,,,,,,,,,', 'intro,intake,,descriptive,"one\r\ntwo\r\nthree",,,,,,,,,,,,,', 'age,intake,,text,Age,,,,,,,,,,,,,'], '\r\n');
    const survey = loadSurvey(text);
    expect(field(survey, 'intro').label).toBe('one\ntwo\nthree');
    expect(field(survey, 'intro').source).toEqual({ line: 3 });
    expect(field(survey, 'age').source).toEqual({ line: 6 });
  });

  it('when the JSON metadata twin of redcapr-simple is loaded, then it has the CSV survey id', () => {
    const fromCsv = loadSurvey(readFixture('redcapr-simple.csv'));
    const fromJson = loadSurvey(readFixture('redcapr-simple.metadata.json'));
    expect(fromJson.id).toBe(fromCsv.id);
    expect(fromJson.fields.map((f) => f.name)).toEqual(fromCsv.fields.map((f) => f.name));
    expect(field(fromJson, 'height').source).toEqual({ index: 9 });
    expect(field(fromCsv, 'height').source).toEqual({ line: 11 });
  });

  it('when the same content is given as a string or as bytes, then the survey id is the same', () => {
    const text = readFixture('redcapr-simple.csv').toString('utf8');
    expect(loadSurvey(text).id).toBe(loadSurvey(readFixture('redcapr-simple.csv')).id);
  });

  it('when one label changes, then the survey id changes', () => {
    const changed = csv(DESIGNER_HEADER, ROWS_18.map((row) => row.replace('"Pain?"', '"Any pain?"')));
    expect(loadSurvey(changed).id).not.toBe(reference.id);
  });

  it.each([
    ['[{"field_name":"x"}]', 'json'],
    ['  \n {"error":"x"}', 'json'],
    [API_HEADER, 'csv'],
    [DESIGNER_HEADER, 'csv'],
  ])('when the text starts %j, then it is read as %s', (text, format) => {
    expect(sniffFormat(text)).toBe(format);
  });

  it('when an unknown extra column is present, then it is a warning and the file loads', () => {
    const load = parseDictionary(csv(`${DESIGNER_HEADER},"Notes for us"`, ROWS_18.map((r) => `${r},hello`)));
    expect(load.survey).not.toBeNull();
    expect(load.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', line: 1, column: 'Notes for us' })]);
  });
});

describe('the survey id', () => {
  it('when only the rows\' positions differ (a blank line before a row), then the id is the same', () => {
    const spaced = csv(DESIGNER_HEADER, [ROWS_18[0] ?? '', '', ROWS_18[1] ?? '', ROWS_18[2] ?? '']);
    const survey = loadSurvey(spaced);
    expect(field(survey, 'pain').source).toEqual({ line: 5 });
    expect(survey.id).toBe(loadSurvey(csv(DESIGNER_HEADER, ROWS_18)).id);
  });

  it.each([
    ['an action tag', (row: string) => row.replace(/,$/, ',@HIDDEN')],
    ['the branching logic', (row: string) => row.replace('[age] > 20', '[age] > 21')],
    ['a choice label', (row: string) => row.replace('1, Some', '1, A lot')],
  ])('when %s changes, then the id changes', (_what, change) => {
    const rows = [...ROWS_18.slice(0, 2), change(ROWS_18[2] ?? '')];
    expect(rows[2]).not.toBe(ROWS_18[2]);
    expect(loadSurvey(csv(DESIGNER_HEADER, rows)).id).not.toBe(loadSurvey(csv(DESIGNER_HEADER, ROWS_18)).id);
  });
});
