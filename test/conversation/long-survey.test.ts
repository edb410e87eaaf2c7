import { describe, expect, it, vi } from 'vitest';
import { conversationSettings, interviewer, restore, step } from '../../src/conversation/index.js';
import { surveyLogic } from '../../src/logic/index.js';
import { LONG_INSTRUMENT, longSurvey } from '../../bench/long-survey.js';
import { snapshotAfter } from '../../bench/step-cost.js';
import { demoSurvey, START } from './demo-survey.js';

// 300 questions, every third shown only when the one before was answered '1', a calculation every 25.
const survey = longSurvey(300);
const settings = conversationSettings();
const NOW = new Date('2026-03-02T15:00:00Z');
const instrumentFields = survey.instruments.find((instrument) => instrument.name === LONG_INSTRUMENT)!.fields.length;

/** How often the survey's logic is asked something while one more answer is stepped after `answers`. */
function evaluationsOfNextAnswer(answers: number) {
  const stored = JSON.parse(snapshotAfter(survey, LONG_INSTRUMENT, answers, settings)) as unknown;
  const logic = surveyLogic(survey);
  const spies = {
    isShown: vi.spyOn(logic, 'isShown'), effectiveTags: vi.spyOn(logic, 'effectiveTags'), calcValue: vi.spyOn(logic, 'calcValue'),
  };
  const result = step(survey, stored, { type: 'inbound', text: '1' }, NOW, settings);
  expect(result.status).toBe('asking');
  const counts = { isShown: spies.isShown.mock.calls.length, effectiveTags: spies.effectiveTags.mock.calls.length, calcValue: spies.calcValue.mock.calls.length };
  vi.restoreAllMocks();
  return counts;
}

describe('a long survey costs the same per text however far the participant is', () => {
  it.each([10, 100, 250])('when %i answers have been given, then the next answer evaluates as much logic as after 10', (answers) => {
    expect(evaluationsOfNextAnswer(answers)).toEqual(evaluationsOfNextAnswer(10));
  });

  it.each([10, 100, 250])('when %i answers have been given, then the next answer does not walk the earlier fields', (answers) => {
    const counts = evaluationsOfNextAnswer(answers);
    // The walk starts at the current question: it asks at most of the field after it and the one after that.
    expect(counts.isShown).toBeLessThanOrEqual(2);
    // Recalculation looks at the instrument's calculations (12 of them), not at every one of its fields.
    expect(counts.effectiveTags).toBeLessThan(instrumentFields / 4);
    expect(counts.calcValue).toBe(12);
  });

  it.each([
    { answers: 10 }, { answers: 100 }, { answers: 200 }, { answers: 290 },
  ])('when $answers answers have been given, then the stored snapshot grows by at most 40 bytes an answer', ({ answers }) => {
    const empty = snapshotAfter(survey, LONG_INSTRUMENT, 0, settings).length;
    const grown = snapshotAfter(survey, LONG_INSTRUMENT, answers, settings).length - empty;
    // Each answer is stored once, in the record ("q123":"1", and the calculation it changed) and in the list BACK walks.
    expect(grown).toBeLessThanOrEqual(40 * answers);
    expect(grown).toBeGreaterThan(0);
  });
});

describe('the persisted snapshot', () => {
  const demo = demoSurvey();
  const converse = (texts: string[]) => {
    let result = step(demo, null, { type: 'invite', start: START }, NOW, settings);
    for (const text of texts) result = step(demo, JSON.parse(JSON.stringify(result.snapshot)), { type: 'inbound', text }, NOW, settings);
    return result;
  };

  it.each([
    { state: 'asking', texts: ['1'] },
    { state: 'confirming', texts: ['1', '2'] },
    { state: 'completed', texts: ['1', '8', '99', 'no', 'true', '0', 'SKIP', 'done'] },
    { state: 'opted_out', texts: ['STOP'] },
    { state: 'paused', texts: Array<string>(10).fill('9') },
  ])('when the conversation is $state, then its snapshot is the JSON XState itself would persist', ({ state, texts }) => {
    const result = converse(texts);
    expect(result.status).toBe(state);
    const xstate = interviewer.getPersistedSnapshot(restore(JSON.parse(JSON.stringify(result.snapshot))));
    expect(JSON.stringify(result.snapshot)).toBe(JSON.stringify(xstate));
  });
});
