/**
 * Steps one conversation through the demo survey again and again in a worker thread, as the engine
 * thread does for many participants; with `tuned`, the main thread applies the engine thread's GC
 * tuning first, in the order `startEngineThread` does. gc-tuning.test.ts reads V8's GC trace.
 */
import { readFileSync } from 'node:fs';
import { isMainThread, Worker } from 'node:worker_threads';
import { conversationSettings, step, type StepResult } from '../../src/conversation/index.js';
import { parseDictionary } from '../../src/dictionary/index.js';
import { keepStepObjectsYoung } from '../../src/composition/engine-thread/gc-tuning.js';

const [mode, steps, dictionary] = process.argv.slice(2);
if (isMainThread) {
  if (mode === 'tuned') keepStepObjectsYoung();
  new Worker(new URL(import.meta.url), { argv: process.argv.slice(2) });
} else {
  stepAgainAndAgain();
}

function stepAgainAndAgain(): void {
  const survey = parseDictionary(readFileSync(dictionary!)).survey;
  if (survey === null) throw new Error(`${dictionary} has errors`);
  const settings = conversationSettings({});
  const now = new Date('2026-03-02T15:00:00Z');
  const answers = ['1', '7', '99', '1', '30', '1', '0', '2026-04-01', 'fine'];
  const start = { phone: '+15555550123', instrument: 'daily', recordId: '1', record: { record_id: '1' } };

  // The stored snapshot before each answer, as the engine reads it from the database.
  const stored: string[] = [];
  let result: StepResult = step(survey, null, { type: 'invite', start }, now, settings);
  for (const text of answers) {
    stored.push(JSON.stringify(result.snapshot));
    result = step(survey, JSON.parse(JSON.stringify(result.snapshot)), { type: 'inbound', text }, now, settings);
  }
  for (let i = 0; i < Number(steps); i++) {
    const k = i % answers.length;
    const next = step(survey, JSON.parse(stored[k]!), { type: 'inbound', text: answers[k]! }, now, settings);
    JSON.stringify(next.snapshot);
  }
}
