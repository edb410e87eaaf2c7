/**
 * Builds the server process the crash specification kills: the entry and every project module it
 * reaches, transpiled one file at a time with TypeScript (types are checked by `npm run typecheck`,
 * not here), into a private folder under node_modules/.cache so that packages resolve as in the repo.
 * About a second, against half a minute for a full `tsc` build on this machine.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const REPO = resolve(fileURLToPath(new URL('../../../', import.meta.url)));
/** The reliability probe's entry; the CLI (`src/cli/main.ts`) runs `redcap-sms serve` itself. */
export const PROBED_ENTRY = 'test/reliability/harness/server-entry.ts';
export const CLI_ENTRY = 'src/cli/main.ts';
// Static and dynamic imports, and `new URL('./worker.js', import.meta.url)` (the engine thread's entry).
const RELATIVE_IMPORT = /(?:(?:from\s+|import\s*\(\s*|import\s+)['"](\.{1,2}\/[^'"]+)['"]|new URL\(\s*['"](\.{1,2}\/[^'"]+\.js)['"])/g;

/** Transpiles the entry's module graph; returns the compiled entry and how to remove the build. */
export function buildServer(
  entry = PROBED_ENTRY, outDir = join(REPO, 'node_modules/.cache/redcap-sms-reliability', `${process.pid}-${entry.replace(/\W+/g, '-')}`),
): { entry: string; remove(): void } {
  rmSync(outDir, { recursive: true, force: true });
  const queue = [join(REPO, entry)];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const source = queue.pop()!;
    if (seen.has(source)) continue;
    seen.add(source);
    const output = ts.transpileModule(readFileSync(source, 'utf8'), {
      fileName: source,
      compilerOptions: {
        target: ts.ScriptTarget.ES2023, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: true, esModuleInterop: true,
      },
    }).outputText;
    const target = join(outDir, relative(REPO, source)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, output);
    for (const match of output.matchAll(RELATIVE_IMPORT)) {
      const specifier = (match[1] ?? match[2])!;
      const imported = resolve(dirname(source), specifier.replace(/\.js$/, '.ts'));
      if (!existsSync(imported)) throw new Error(`${relative(REPO, source)} imports ${specifier}, which does not exist`);
      queue.push(imported);
    }
  }
  // Modules find migrations/ (and public/) relative to their own folder, as in dist/.
  for (const folder of ['migrations', 'public']) symlinkSync(join(REPO, folder), join(outDir, folder), 'dir');
  return { entry: join(outDir, entry.replace(/\.ts$/, '.js')), remove: () => rmSync(outDir, { recursive: true, force: true }) };
}
