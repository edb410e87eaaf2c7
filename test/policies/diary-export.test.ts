/**
 * What the diary sweep asks REDCap for (decision 0058): the records with a start date, and only the fields
 * the diary plan reads.
 */
import { describe, expect, it } from 'vitest';
import { parseDictionary } from '../../src/dictionary/index.js';
import { diaryExport } from '../../src/policies/diary-plan.js';
import { projectConfig, STUDY_CSV } from '../writeback/harness.js';

const DICTIONARY = (() => {
  const lines = STUDY_CSV.split('\n');
  lines.splice(2, 0,
    '"enrolled","contact","","text","Enrolled on","","","date_ymd","","","","","","","","","",""',
    '"tz","contact","","text","Time zone","","","","","","","","","","","","",""',
    '"withdrawn","contact","","yesno","Withdrawn","","","","","","","","","","","","",""');
  return lines.join('\n');
})();
const survey = parseDictionary(DICTIONARY).survey!;
const diary = { instrument: 'daily', startField: 'enrolled', at: '20:00' };

describe('what the diary sweep exports', () => {
  it.each([
    ['one diary', { diaries: [diary] },
      { filterLogic: '[enrolled] <> ""', candidateFields: ['record_id', 'enrolled'], fields: ['record_id', 'enrolled'] }],
    ['a participant zone and an `until` that names fields, a checkbox option and a smart variable', {
      timeZoneField: 'tz', diaries: [{ ...diary, until: "[withdrawn] = '1' or [opted_out(1)] = '1' or [record-name] = '9'" }],
    }, {
      filterLogic: '[enrolled] <> ""', candidateFields: ['record_id', 'enrolled'], fields: ['record_id', 'enrolled', 'tz', 'withdrawn', 'opted_out'],
    }],
    ['two diaries on two start dates', { diaries: [diary, { ...diary, instrument: 'weekly', startField: 'visit_date' }] }, {
      filterLogic: '[enrolled] <> "" or [visit_date] <> ""', candidateFields: ['record_id', 'enrolled', 'visit_date'], fields: ['record_id', 'enrolled', 'visit_date'],
    }],
  ])('when the project has %s, then the filter and the fields are the ones the plan needs', (_, settings, expected) => {
    expect(diaryExport(projectConfig('http://127.0.0.1:9/api/', settings), survey)).toEqual(expected);
  });

  it('when the project has no diary, then there is nothing to export', () => {
    expect(diaryExport(projectConfig('http://127.0.0.1:9/api/'), survey)).toBeUndefined();
  });
});
