import { describe, expect, it } from 'vitest';
import { promptCost } from '../../src/answers/index.js';
import { checkDictionary } from '../../src/checks/check-dictionary.js';
import { englishCatalog } from '../../src/messages/catalog.js';
import { loadFixture, testField, testSurvey } from './helpers.js';

describe('promptCost', () => {
  it('when a survey has short, long and never-asked fields, then only asked questions are costed', () => {
    const survey = testSurvey([
      testField({ name: 'intro', type: 'descriptive', label: 'Welcome.' }),
      testField({ name: 'short', type: 'yesno', label: 'Ok?', required: true }),
      testField({ name: 'long', type: 'text', label: 'Why? '.repeat(80), required: true }),
      testField({ name: 'score', type: 'calc', label: 'Score', calc: '1+1' }),
      testField({ name: 'piped', type: 'text', label: 'Hello [name]', required: true }),
    ]);
    expect(promptCost(survey, englishCatalog)).toEqual([
      { instrument: 'form_1', longestSegments: 3, totalSegments: 5, overTwoSegments: ['long'] },
    ]);
  });

  it.each(['redcapr-validation-types-1.csv', 'ccc19-data-dictionary.csv', 'redcapr-longitudinal.csv'])(
    'when %s is costed, then every instrument has consistent totals',
    (file) => {
      const costs = promptCost(loadFixture(file), englishCatalog);
      expect(costs.length).toBeGreaterThan(0);
      for (const cost of costs) {
        expect(cost.totalSegments).toBeGreaterThanOrEqual(cost.longestSegments);
        expect(cost.overTwoSegments.length > 0).toBe(cost.longestSegments > 2);
      }
    },
  );

  it('when dictionary check runs, then each instrument reports its prompt cost', () => {
    const report = checkDictionary('record_id,form_1,,text,ID,,,,,,,,,,,,,\nq,form_1,,yesno,Ok?,,,,,,,,,,,,,\n'.replace(/^/, HEADER));
    expect(report.instruments[0]?.promptCost).toEqual({ instrument: 'form_1', longestSegments: 1, totalSegments: 1, overTwoSegments: [] });
  });
});

const HEADER =
  '"Variable / Field Name","Form Name","Section Header","Field Type","Field Label","Choices, Calculations, OR Slider Labels","Field Note","Text Validation Type OR Show Slider Number","Text Validation Min","Text Validation Max",Identifier?,"Branching Logic (Show field only if...)","Required Field?","Custom Alignment","Question Number (surveys only)","Matrix Group Name","Matrix Ranking?","Field Annotation"\n';
