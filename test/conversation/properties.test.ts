import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { conversationSettings, interviewer, matchKeyword, restore, step, type StepResult } from '../../src/conversation/index.js';
import { demoSurvey, START } from './demo-survey.js';

const survey = demoSurvey();
const settings = conversationSettings({ reminders: ['PT4H'], expiry: 'P1D' });
const NOW = new Date('2026-03-02T15:00:00Z');
const texts = fc.array(
  fc.constantFrom('1', '2', '3', '7', '2', 'yes', 'no', 'true', '1,3', '99', '50', 'x', 'STOP', 'START', 'YES', 'HELP', 'SKIP', 'BACK', 'REPEAT', 'stop.', 'Info'),
  { maxLength: 25 },
);

function run(sequence: readonly string[], visit: (result: StepResult, text: string, before: StepResult) => void): void {
  let result = step(survey, null, { type: 'invite', start: START }, NOW, settings);
  for (const text of sequence) {
    const before = result;
    result = step(survey, JSON.parse(JSON.stringify(result.snapshot)), { type: 'inbound', text }, NOW, settings);
    visit(result, text, before);
  }
}

describe('interviewer invariants', () => {
  test.prop([texts], { numRuns: 60 })('whatever is texted, every snapshot restores to itself', (sequence) => {
    run(sequence, (result) => {
      expect(interviewer.getPersistedSnapshot(restore(JSON.parse(JSON.stringify(result.snapshot))))).toEqual(result.snapshot);
    });
  });

  test.prop([texts], { numRuns: 60 })('whatever is texted, a keyword is never written as an answer', (sequence) => {
    run(sequence, (result, text) => {
      if (matchKeyword(text, settings.keywords) === null) return;
      const written = result.effects.flatMap((e) => (e.type === 'write' ? Object.values(e.values) : []));
      expect(written).not.toContain(text);
    });
  });

  test.prop([texts], { numRuns: 60 })('whatever is texted, an opted-out conversation sends nothing until it opts back in', (sequence) => {
    run(sequence, (result, _text, before) => {
      if (before.status !== 'opted_out' || result.status !== 'opted_out') return;
      expect(result.effects).toEqual([]);
    });
  });
});
