/**
 * `redcap-sms redcap-emulator --dictionary <file>`: a local stand-in for a REDCap project's API, for
 * trying redcap-sms without a REDCap server. Runs until Ctrl+C.
 */
import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { parseProjectDesign } from '../../config/project-design-file.js';
import { createRedcapEmulator, type RedcapEmulator } from '../../demo/redcap-emulator/index.js';
import { emulatorDesign, type EmulatorDesign } from '../../demo/redcap-emulator/design-config.js';
import { parseDictionary } from '../../dictionary/index.js';
import { EXIT, readTextFile, UsageError, type CliIo } from '../io.js';
import type { SetExit } from '../set-exit.js';

interface EmulatorFlags {
  dictionary: string;
  port: string;
  host: string;
  token?: string;
  projectId: string;
  design?: string;
}

export function registerRedcapEmulator(program: Command, io: CliIo, setExit: SetExit): void {
  program
    .command('redcap-emulator')
    .description('Serve a REDCap API (POST /api/) for one project loaded from a data dictionary, until Ctrl+C.')
    .requiredOption('--dictionary <file>', 'the project\'s data dictionary (Designer CSV or API metadata JSON)')
    .option('--port <port>', 'port to listen on (0 picks a free one)', '4030')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--token <token>', 'the API token clients must send (default: a new random one)')
    .option('--project-id <id>', 'the project id REDCap would report', '1')
    .option('--design <file>', 'arms, events, form-event mapping, repeating instruments and events (YAML or JSON): a longitudinal or repeating project')
    .action(async (flags: EmulatorFlags) => {
      const token = flags.token ?? randomBytes(16).toString('hex').toUpperCase();
      const projectId = wholeNumber(flags.projectId, '--project-id', 1, Number.MAX_SAFE_INTEGER);
      const port = wholeNumber(flags.port, '--port', 0, 65_535);
      const emulator = startable(io, flags, token, projectId);
      if (!emulator) return setExit(EXIT.inputErrors);
      const running = await emulator.listen(port, flags.host);
      io.out([
        'REDCap API emulator is running.',
        `  REDCAP_API_URL=${running.url}`,
        `  REDCAP_API_TOKEN=${token}`,
        `  project ${projectId}: ${projectSummary(emulator, token)}`,
        'Press Ctrl+C to stop.',
        '',
      ].join('\n'));
      await interrupted();
      await running.close();
      io.out('REDCap API emulator stopped.\n');
      setExit(EXIT.ok);
    });
}

function wholeNumber(text: string, flag: string, min: number, max: number): number {
  const value = /^\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!(value >= min && value <= max)) throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, not "${text}"`);
  return value;
}

/** The emulator for the dictionary, or undefined after saying why the dictionary cannot be served. */
function startable(io: CliIo, flags: EmulatorFlags, token: string, projectId: number): RedcapEmulator | undefined {
  const file = flags.dictionary;
  const dictionary = readTextFile(io, file);
  const design = flags.design === undefined ? {} : designOf(io, flags.design, dictionary);
  try {
    return createRedcapEmulator({ projects: [{ token, projectId, dictionary, ...design }] });
  } catch (error) {
    io.err(`error: ${(error as Error).message}; run "redcap-sms dictionary check ${file}" for every problem\n`);
    return undefined;
  }
}

/** The design file as emulator settings; a dictionary that does not load is reported by the emulator itself. */
function designOf(io: CliIo, file: string, dictionary: string): EmulatorDesign {
  const survey = parseDictionary(dictionary).survey;
  const load = parseProjectDesign(readTextFile(io, file), survey ?? undefined);
  if (!load.ok) throw new UsageError(`the design ${file} has errors:\n  ${load.errors.join('\n  ')}`);
  try {
    return emulatorDesign(load.design, survey?.instruments.map((i) => i.name) ?? []);
  } catch (error) {
    throw new UsageError(`the design ${file}: ${(error as Error).message}`);
  }
}

function projectSummary(emulator: RedcapEmulator, token: string): string {
  const survey = emulator.state.projects.get(token)?.survey;
  if (!survey) return 'not loaded';
  return `${survey.instruments.length} instrument(s): ${survey.instruments.map((i) => i.name).join(', ')}`;
}

/** Resolves on the first Ctrl+C (SIGINT) or SIGTERM. */
function interrupted(): Promise<void> {
  return new Promise((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
