import type { Command } from 'commander';
import { defaultThreading, startService } from '../../composition/start-service.js';
import { ConfigError } from '../../config/config-error.js';
import { type Config, loadConfig } from '../../config/env.js';
import { loadProjects } from '../../config/projects.js';
import { EXIT, type CliIo } from '../io.js';
import { serveDemo } from './serve-demo.js';
import type { SetExit } from '../set-exit.js';

/** `redcap-sms serve`: validate the configuration, then run the service until SIGTERM. */
export function registerServe(program: Command, io: CliIo, setExit: SetExit): void {
  program
    .command('serve')
    .description('Run the service: Twilio webhooks, the outbox dispatcher and the admin API.')
    .option('--demo', 'run with the embedded REDCap emulator and phone simulator (npm start)')
    .action(async (options: { demo?: boolean }) => {
      if (options.demo === true) return setExit(await serveDemo(io));
      setExit(await serve(io));
    });
}

/**
 * The PostgreSQL adapter implements the async storage ports (src/adapters/postgres/); until the engine runs on
 * them, a DATABASE_URL must stop the start rather than leave the study on a SQLite file nobody asked for.
 */
function refuseUnservedStorage(config: Config): void {
  if (config.databaseUrl === undefined) return;
  throw new ConfigError('Invalid configuration', [
    'DATABASE_URL: PostgreSQL storage is not served yet by this version (issue 24); unset it to use SQLite at DATABASE_PATH',
  ]);
}

async function serve(io: CliIo): Promise<number> {
  try {
    const config = loadConfig(io.env);
    refuseUnservedStorage(config);
    const running = await startService(config, loadProjects(config, io.env), defaultThreading(config));
    io.err(`redcap-sms listening on ${running.url}\n`);
    return EXIT.ok;
  } catch (error) {
    // One line per configuration problem; the variable is named, its value never shown.
    if (error instanceof ConfigError) {
      io.err(`error: ${error.message}\n`);
      return EXIT.inputErrors;
    }
    throw error;
  }
}
