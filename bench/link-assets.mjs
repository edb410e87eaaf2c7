// The bench build (tsconfig.bench.json) puts src/ one level deeper than dist/ does; the service finds its
// migrations, public assets and demo fixtures relative to its own files, so they are linked beside build/src.
import { existsSync, symlinkSync } from 'node:fs';

for (const folder of ['migrations', 'public', 'fixtures']) {
  const link = new URL(`../build/${folder}`, import.meta.url);
  if (!existsSync(link)) symlinkSync(`../${folder}`, link, 'dir');
}
