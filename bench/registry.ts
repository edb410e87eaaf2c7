import type { Benchmark } from './benchmark.js';
import { dictionaryBenchmark } from './dictionary.js';
import { inboundBenchmark } from './inbound.js';
import { inboundScaleBenchmark } from './inbound-scale.js';
import { inboundPostgresBenchmark } from './inbound-postgres.js';
import { logicBenchmark } from './logic.js';
import { perTextBenchmark } from './per-text.js';

export const benchmarks: Benchmark[] = [dictionaryBenchmark, logicBenchmark, perTextBenchmark, inboundBenchmark, inboundScaleBenchmark, inboundPostgresBenchmark];
