/**
 * CPU per text of the pure conversation step, in-process, against the number of answers already given:
 * the stored snapshot parsed, the step, the new snapshot serialised, as the engine does for every text.
 * CPU time (process.cpuUsage), not wall-clock time, so a busy machine slows it less than it slows the
 * HTTP figures.
 */
import { conversationSettings, step, type ConversationSettings } from '../src/conversation/index.js';
import type { Survey } from '../src/dictionary/model.js';

const NOW = new Date('2026-03-02T15:00:00Z');

/** The stored snapshot (JSON) of a conversation of `survey`'s `instrument` after `answers` replies of '1'. */
export function snapshotAfter(survey: Survey, instrument: string, answers: number, settings: ConversationSettings = conversationSettings()): string {
  const start = { phone: '+16505550000', instrument, recordId: '1', record: { record_id: '1' } };
  let result = step(survey, null, { type: 'invite', start }, NOW, settings);
  for (let k = 0; k < answers; k += 1) {
    result = step(survey, JSON.parse(JSON.stringify(result.snapshot)), { type: 'inbound', text: '1' }, NOW, settings);
    if (result.status !== 'asking') throw new Error(`the conversation was ${result.status} after ${k + 1} answers, not asking`);
  }
  return JSON.stringify(result.snapshot);
}

/**
 * CPU µs per call of `work`: the median of `samples` runs of at least `minMs` of CPU each, after a warm-up,
 * so a pause of the machine or a collection in one run does not set the figure.
 */
export function cpuPerCall(work: () => unknown, minMs = 100, samples = 5): number {
  const warm = process.cpuUsage();
  while (cpuMs(process.cpuUsage(warm)) < minMs) work();
  const runs = Array.from({ length: samples }, () => cpuRun(work, minMs)).sort((a, b) => a - b);
  return runs[Math.floor(samples / 2)]!;
}

function cpuRun(work: () => unknown, minMs: number): number {
  const before = process.cpuUsage();
  let calls = 0;
  do {
    for (let k = 0; k < 20; k += 1) work();
    calls += 20;
  } while (cpuMs(process.cpuUsage(before)) < minMs);
  return (1000 * cpuMs(process.cpuUsage(before))) / calls;
}

const cpuMs = (usage: NodeJS.CpuUsage): number => (usage.user + usage.system) / 1000;

export interface StepCost {
  answers: number;
  snapshotBytes: number;
  parseUs: number;
  stringifyUs: number;
  totalUs: number;
}

/** What the next text costs once `answers` have been given: parse, step and serialise together, and the parse and the serialising alone. */
export function stepCost(survey: Survey, instrument: string, answers: number, minMs?: number): StepCost {
  const settings = conversationSettings();
  const stored = snapshotAfter(survey, instrument, answers, settings);
  const parsed = JSON.parse(stored) as unknown;
  const event = { type: 'inbound', text: '1' } as const;
  const stepped = step(survey, parsed, event, NOW, settings).snapshot;
  return {
    answers,
    snapshotBytes: Buffer.byteLength(stored),
    parseUs: cpuPerCall(() => JSON.parse(stored), minMs),
    stringifyUs: cpuPerCall(() => JSON.stringify(stepped), minMs),
    totalUs: cpuPerCall(() => JSON.stringify(step(survey, JSON.parse(stored), event, NOW, settings).snapshot), minMs),
  };
}
