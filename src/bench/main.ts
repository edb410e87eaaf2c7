/**
 * `npm run bench`: every benchmark of the project in one run, each printed as it finishes.
 * Speed is measured here, never in a timed test.
 */
import { benchmarks } from './registry.js';

for (const bench of benchmarks) {
  const lines = await bench.run();
  process.stdout.write(`\n## ${bench.name}\n${lines.map((line) => `  ${line}`).join('\n')}\n`);
}
