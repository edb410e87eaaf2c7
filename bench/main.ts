/**
 * `npm run bench`: every benchmark of the project in one run, each printed as it finishes.
 * `npm run bench -- inbound` runs only the benchmarks whose name contains "inbound".
 * Speed is measured here, never in a timed test.
 */
import { benchmarks } from './registry.js';

const filter = process.argv[2]?.toLowerCase();
const chosen = benchmarks.filter((bench) => filter === undefined || bench.name.toLowerCase().includes(filter));
if (chosen.length === 0) {
  process.stderr.write(`no benchmark matches "${filter}"; the benchmarks are: ${benchmarks.map((b) => b.name).join('; ')}\n`);
  process.exit(2);
}
for (const bench of chosen) {
  const lines = await bench.run();
  process.stdout.write(`\n## ${bench.name}\n${lines.map((line) => `  ${line}`).join('\n')}\n`);
}
