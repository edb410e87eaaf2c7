/** Consecutive underscores: accepted as REDCap accepts them, refused only for a real export-column clash (decision 0041). */
import { describe, expect, it } from 'vitest';
import { parseDictionary } from '../../src/dictionary/index.js';
import { designerCsv } from './helpers.js';

const RECORD_ID = ['record_id', 'form_1', '', 'text', 'ID'];

describe('field names with consecutive underscores', () => {
  it.each([
    ['a double underscore', [['first__name', 'form_1', '', 'text', 'First name']], []],
    ['a checkbox-like name with no checkbox behind it', [['x___delete', 'form_1', '', 'text', 'Delete?']],
      [/"x___delete" looks like the export column of option "delete" of a checkbox "x"; no checkbox has that option, so it loads/]],
    ['a checkbox-like name whose checkbox lacks that option', [
      ['x', 'form_1', '', 'checkbox', 'X', '1, One | 2, Two'], ['x___3', 'form_1', '', 'text', 'Three']],
    [/"x___3" looks like the export column of option "3" of a checkbox "x"/]],
    ['a field named like a radio option', [['mood', 'form_1', '', 'radio', 'Mood', '1, Good'], ['mood___1', 'form_1', '', 'text', 'Why?']],
      [/"mood___1" looks like/]],
  ])('when the dictionary has %s, then it loads with only the warnings %j', (_what, rows, warnings) => {
    const load = parseDictionary(designerCsv(RECORD_ID, ...rows));
    expect(load.survey).not.toBeNull();
    expect(load.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const messages = load.diagnostics.map((d) => d.message);
    expect(messages).toHaveLength(warnings.length);
    warnings.forEach((pattern, i) => expect(messages[i]).toMatch(pattern));
  });

  it.each([
    ['a field that is a checkbox option column', [
      ['x', 'form_1', '', 'checkbox', 'X', '1, One | delete, Delete'], ['x___delete', 'form_1', '', 'text', 'Delete?']],
    { line: 4, field: 'x___delete', message: expect.stringMatching(/also the export column of option "delete" of checkbox "x" \(line 3\)/) }],
    ['a checkbox option column declared before its checkbox', [
      ['x___1', 'form_1', '', 'text', 'One?'], ['x', 'form_1', '', 'checkbox', 'X', '1, One']],
    { line: 3, field: 'x___1', message: expect.stringMatching(/option "1" of checkbox "x" \(line 4\)/) }],
    ['two checkboxes whose options meet in one column', [
      ['a', 'form_1', '', 'checkbox', 'A', 'b___1, One'], ['a___b', 'form_1', '', 'checkbox', 'AB', '1, One']],
    { line: 4, field: 'a___b', message: expect.stringMatching(/option "1" of checkbox "a___b" exports as "a___b___1", the same column as option "b___1" of "a"/) }],
  ])('when the dictionary has %s, then it is refused with %j', (_what, rows, expected) => {
    const load = parseDictionary(designerCsv(RECORD_ID, ...rows));
    expect(load.survey).toBeNull();
    expect(load.diagnostics.filter((d) => d.severity === 'error')).toEqual([expect.objectContaining({ severity: 'error', ...expected })]);
  });
});
