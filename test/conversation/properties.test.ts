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

/** The record before with the values the step says it put in is the record after; answered is as it was up to where the step says it rewrote it. */
function expectChangesSayAll(before: StepResult, result: StepResult): void {
  const [was, now] = [before.snapshot.context, result.snapshot.context];
  expect({ ...was.record, ...result.changes.record }).toEqual(now.record);
  for (const [field, value] of Object.entries(result.changes.record)) expect(now.record[field]).toBe(value);
  const kept = result.changes.answered ?? Math.max(was.answered.length, now.answered.length);
  expect(now.answered.slice(0, kept)).toEqual(was.answered.slice(0, kept));
  if (result.changes.answered === null) expect(now.answered).toEqual(was.answered);
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

  test.prop([texts], { numRuns: 60 })("whatever is texted, a step's changes say all it changed of the record and of answered", (sequence) => {
    run(sequence, (result, _text, before) => expectChangesSayAll(before, result));
  });

  test("when the survey is answered to its end, then each step's changes say all it changed, the last answer's included", () => {
    const statuses: string[] = [];
    run(['2', '7', 'BACK', '8', '99', 'no', 'true', '0', '2026-04-01', 'all good'], (result, _text, before) => {
      expectChangesSayAll(before, result);
      statuses.push(result.status);
    });
    expect(statuses.at(-1)).toBe('completed');
  });

  test.prop([texts], { numRuns: 60 })('whatever is texted, an opted-out conversation sends nothing until it opts back in', (sequence) => {
    run(sequence, (result, _text, before) => {
      if (before.status !== 'opted_out' || result.status !== 'opted_out') return;
      expect(result.effects).toEqual([]);
    });
  });
});
