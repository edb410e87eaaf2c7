/**
 * The figures of the last run, for the README's "Reliability" section. Each specification file writes
 * its own section under test-results/reliability/, then (under a lock, since files run in parallel)
 * test-results/reliability.json is rebuilt from all sections with the totals.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './build-server.js';

export type Figures = Record<string, number | string | boolean>;

const DIR = join(REPO, 'test-results');
const SECTIONS = join(DIR, 'reliability');
const LOCK = join(DIR, 'reliability.lock');

/** The scale of this run: RELIABILITY_SCALE=10 for the heavier sizes (default 1). */
export function reliabilityScale(): number {
  const scale = Number(process.env.RELIABILITY_SCALE ?? '1');
  return Number.isFinite(scale) && scale >= 1 ? Math.floor(scale) : 1;
}

const TOTALS = ['messages', 'kills', 'outages', 'duplicatesDelivered', 'fuzzCases', 'lost', 'duplicateTexts'] as const;

export function writeFigures(section: string, figures: Figures): void {
  mkdirSync(SECTIONS, { recursive: true });
  writeAtomically(join(SECTIONS, `${section}.json`), figures);
  withLock(() => {
    const sections = Object.fromEntries(readdirSync(SECTIONS).filter((f) => f.endsWith('.json')).sort()
      .map((f) => [f.replace(/\.json$/, ''), JSON.parse(readFileSync(join(SECTIONS, f), 'utf8')) as Figures]));
    const totals = Object.fromEntries(TOTALS.map((name) => [name, Object.values(sections)
      .reduce((sum, figures) => sum + (typeof figures[name] === 'number' ? figures[name] : 0), 0)]));
    writeAtomically(join(DIR, 'reliability.json'), { generatedAt: new Date().toISOString(), scale: reliabilityScale(), totals, sections });
  });
}

function writeAtomically(path: string, value: unknown): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(temporary, path);
}

/** mkdir is atomic: whoever creates the folder holds the lock. Bounded: a stale lock is taken after 5 s. */
function withLock(work: () => void): void {
  const deadline = Date.now() + 5_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      if (Date.now() > deadline) break;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
  try {
    work();
  } finally {
    if (existsSync(LOCK)) rmdirSync(LOCK);
  }
}
