import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** Where a command writes: the real process streams in production, buffers in tests. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Reads all of standard input (for `chat` and piped input). */
  stdin?: NodeJS.ReadableStream;
  /** Environment the command sees; tests pass their own. */
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export const processIo = (): CliIo => ({
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
});

/** Exit codes shared by every command: 0 fine, 1 the input has errors, 2 the command line is wrong. */
export const EXIT = { ok: 0, inputErrors: 1, usage: 2 } as const;

/** A usage problem found after commander parsed the line (missing file, bad flag value). */
export class UsageError extends Error {}

/** A UTF-8 file named on the command line, relative to the working directory; a usage error when it cannot be read. */
export function readTextFile(io: CliIo, file: string): string {
  try {
    return readFileSync(resolve(io.cwd, file), 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `no such file: ${file}` : `cannot read ${file} (${code ?? 'unknown error'})`);
  }
}
