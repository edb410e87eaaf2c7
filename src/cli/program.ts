import { Command, CommanderError } from 'commander';
import { EXIT, UsageError, type CliIo } from './io.js';
import { registerCommands } from './commands/index.js';

/**
 * Runs the `redcap-sms` command line and resolves to the exit code, without calling process.exit,
 * so tests drive it in-process exactly as a user would from a shell.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command('redcap-sms')
    .description('Run REDCap surveys as SMS conversations.')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  registerCommands(program, io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    return exitCodeFor(error, io);
  }
}

function exitCodeFor(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) {
    // --help and --version end through here too, with exit code 0.
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (error instanceof UsageError) {
    io.err(`error: ${error.message}\n`);
    return EXIT.usage;
  }
  // An unexpected failure: say what happened in one line, never a stack trace.
  const message = error instanceof Error ? error.message : String(error);
  io.err(`error: ${message}\n`);
  return EXIT.inputErrors;
}
