/**
 * `npm run bench`: every benchmark of the project in one run, each printed as it finishes.
 * `npm run bench -- inbound` runs only the benchmarks whose name contains "inbound";
 * `BENCH_QUICK=1 npm run bench` runs them in a reduced form, to check they work.
 * Speed is measured here, never in a timed test. A benchmark that fails or whose figures cannot be
 * trusted (a busy machine) says why and the run exits non-zero: 1 for a failure, 3 for an untrusted run.
 */
import { UntrustedMeasurement } from './benchmark.js';
import { benchmarks } from './registry.js';

// An error nobody awaited is a bug of the benchmark: say so and stop, rather than die with a bare stack.
process.on('unhandledRejection', (reason) => fail('an unhandled rejection', reason));
process.on('uncaughtException', (error) => fail('an uncaught exception', error));

const filter = process.argv[2]?.toLowerCase();
const chosen = benchmarks.filter((bench) => filter === undefined || bench.name.toLowerCase().includes(filter));
if (chosen.length === 0) {
  process.stderr.write(`no benchmark matches "${filter}"; the benchmarks are: ${benchmarks.map((b) => b.name).join('; ')}\n`);
  process.exit(2);
}
for (const bench of chosen) {
  try {
    const lines = await bench.run();
    print(bench.name, lines);
  } catch (error) {
    if (!(error instanceof UntrustedMeasurement)) fail(`benchmark "${bench.name}"`, error);
    print(bench.name, [...(error as UntrustedMeasurement).lines, `NOT TRUSTWORTHY: ${(error as Error).message}`]);
    process.exitCode = 3;
  }
}

function print(name: string, lines: readonly string[]): void {
  process.stdout.write(`\n## ${name}\n${lines.map((line) => `  ${line}`).join('\n')}\n`);
}

function fail(where: string, error: unknown): never {
  const detail = error instanceof Error ? error.stack ?? error.message : String(error);
  process.stderr.write(`\nthe benchmark run failed in ${where}: ${error instanceof Error ? error.message : String(error)}\n${detail}\n`);
  process.exit(1);
}
