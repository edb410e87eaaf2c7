import type { Benchmark } from './benchmark.js';
import { dictionaryBenchmark } from './dictionary.js';
import { inboundBenchmark } from './inbound.js';
import { logicBenchmark } from './logic.js';

export const benchmarks: Benchmark[] = [dictionaryBenchmark, logicBenchmark, inboundBenchmark];
