import { conversationSettings, step, type StepResult } from '../../src/conversation/index.js';
import { demoSurvey, START } from '../conversation/demo-survey.js';

export const survey = demoSurvey();
export const settings = conversationSettings({ reminders: ['PT4H'] });
export const STEP_AT = new Date('2026-03-02T15:00:00Z');

/** Replies of the demo survey's daily form, a BACK among them, as a participant might send them. */
export const REPLIES = ['2', '7', 'back', '8', '99', 'no', 'true', '1', '2026-04-01'];

/** The demo conversation invited and stepped through `replies`, each step's result in order (the invitation's first). */
export function steppedConversation(replies: readonly string[] = REPLIES): StepResult[] {
  const results = [step(survey, null, { type: 'invite', start: START }, STEP_AT, settings)];
  for (const text of replies) results.push(step(survey, results.at(-1)!.snapshot, { type: 'inbound', text }, STEP_AT, settings));
  return results;
}

/** The next step from `snapshot`, as the engine would take it. */
export function next(snapshot: unknown, text: string): StepResult {
  return step(survey, snapshot, { type: 'inbound', text }, STEP_AT, settings);
}
