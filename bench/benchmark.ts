/** A benchmark reports human-readable result lines; each concept adds its own file and one entry in registry.ts. */
export interface Benchmark {
  name: string;
  run(): Promise<string[]>;
}

/**
 * A run whose figures cannot be trusted, most often because the machine is busy with other work: `npm
 * run bench` prints what was measured and why it is not worth reading, and exits non-zero.
 */
export class UntrustedMeasurement extends Error {
  constructor(reason: string, readonly lines: readonly string[] = []) {
    super(reason);
  }
}

/**
 * `BENCH_QUICK=1`: every benchmark in a reduced form (shorter turns, fewer participants and stored
 * conversations) that shows the benchmarks work. Its figures are not the ones to quote.
 */
export const QUICK = process.env.BENCH_QUICK === '1';

/**
 * The spread of a server's rounds beyond which they disagree too much to take their median: its
 * fastest round more than half again as fast as its slowest.
 */
export const MAX_ROUND_SPREAD = 1.5;

/** Throws UntrustedMeasurement when the rounds of `what` disagree wildly. */
export function assertRoundsAgree(what: string, values: readonly number[], lines: readonly string[] = []): void {
  const spread = Math.max(...values) / Math.min(...values);
  if (!(spread <= MAX_ROUND_SPREAD)) {
    throw new UntrustedMeasurement(
      `the rounds of ${what} disagree: ${values.map((value) => Math.round(value)).join(', ')} (the largest ${spread.toFixed(2)} times the smallest, more than ${MAX_ROUND_SPREAD}); the machine is too busy to measure on`,
      lines,
    );
  }
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}
