import { dictionaryBenchmark } from './dictionary.js';
import { inboundBenchmark } from './inbound.js';
import { logicBenchmark } from './logic.js';

/** A benchmark reports human-readable result lines; each concept adds its own file and one entry here. */
export interface Benchmark {
  name: string;
  run(): Promise<string[]>;
}

export const benchmarks: Benchmark[] = [dictionaryBenchmark, logicBenchmark, inboundBenchmark];
