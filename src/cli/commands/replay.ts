/** `redcap-sms replay <fixture...> [--update]`: replay conversation fixtures; non-zero exit on any difference. */
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { replayFile, rewriteFixtureSteps, type ReplayResult } from '../../replay/index.js';
import { EXIT, UsageError, type CliIo } from '../io.js';
import type { SetExit } from '../set-exit.js';

const FIXTURE_FILE = /\.(ya?ml|json)$/;

export function registerReplay(program: Command, io: CliIo, setExit: SetExit): void {
  program
    .command('replay')
    .description('Replay conversation fixtures against the engine (in memory, fake clock); exit 1 on any difference.')
    .argument('<fixture...>', 'fixture files, or folders of them (.yaml, .yml, .json)')
    .option('--update', 'rewrite the expected texts from what the engine sent, for review in the diff')
    .option('--transcript', 'print each conversation as it happened')
    .action(async (paths: string[], options: { update?: boolean; transcript?: boolean }) => {
      const files = paths.flatMap((path) => fixtureFiles(resolve(io.cwd, path), path));
      const results: ReplayResult[] = [];
      for (const file of files) results.push(await replayFile(file, { update: options.update === true }));
      for (const result of results) report(io, result, options);
      const failed = results.filter((result) => result.failures.length > 0 && result.updatedSteps === undefined);
      io.out(`${results.length - failed.length} of ${results.length} fixtures passed\n`);
      setExit(failed.length === 0 ? EXIT.ok : EXIT.inputErrors);
    });
}

function fixtureFiles(path: string, asGiven: string): string[] {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    throw new UsageError(`no such fixture or folder: ${asGiven}`);
  }
  if (!isDirectory) return [path];
  return readdirSync(path).filter((name) => FIXTURE_FILE.test(name)).sort().map((name) => join(path, name));
}

function report(io: CliIo, result: ReplayResult, options: { update?: boolean; transcript?: boolean }): void {
  const name = relative(process.cwd(), result.file) || result.file;
  if (options.transcript === true) io.out(`${result.transcript.map((line) => `  ${line}`).join('\n')}\n`);
  if (result.updatedSteps !== undefined) {
    rewriteFixtureSteps(result.file, result.updatedSteps);
    io.out(`updated ${name}\n`);
    return;
  }
  if (result.failures.length === 0) {
    io.out(`ok      ${name}\n`);
    return;
  }
  io.out(`FAILED  ${name}\n${result.failures.map((failure) => `  - ${failure}`).join('\n')}\n`);
}
