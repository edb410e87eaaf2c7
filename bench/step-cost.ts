/**
 * CPU per text of the pure conversation step, in-process, against the number of answers already given:
 * the step on the snapshot the store keeps (its cache), and the new snapshot serialised as stored, the
 * answers apart (decision 0069), as the engine does for every text of a conversation texting now.
 * CPU time (process.cpuUsage), not wall-clock time, so a busy machine slows it less than it slows the
 * HTTP figures.
 */
import { conversationSettings, step, type ConversationSettings } from '../src/conversation/index.js';
import type { Survey } from '../src/dictionary/model.js';
import { splitSnapshot } from '../src/adapters/storage/snapshot-rows.js';

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

/**
 * What the next text costs once `answers` have been given: the step and the serialising of its stored text
 * together, and apart the parse of the stored text (a read the cache missed, before its answer rows are
 * joined) and the serialising alone. `snapshotBytes`: the stored text, the answers being rows.
 */
export function stepCost(survey: Survey, instrument: string, answers: number, minMs?: number): StepCost {
  const settings = conversationSettings();
  const kept = JSON.parse(snapshotAfter(survey, instrument, answers, settings)) as unknown;
  const stored = splitSnapshot(kept).text;
  const event = { type: 'inbound', text: '1' } as const;
  const stepped = step(survey, kept, event, NOW, settings).snapshot;
  return {
    answers,
    snapshotBytes: Buffer.byteLength(stored),
    parseUs: cpuPerCall(() => JSON.parse(stored), minMs),
    stringifyUs: cpuPerCall(() => splitSnapshot(stepped).text, minMs),
    totalUs: cpuPerCall(() => splitSnapshot(step(survey, kept, event, NOW, settings).snapshot).text, minMs),
  };
}
