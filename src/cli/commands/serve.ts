import type { Command } from 'commander';
import { defaultThreading, startService } from '../../composition/start-service.js';
import { ConfigError } from '../../config/config-error.js';
import { loadConfig } from '../../config/env.js';
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

async function serve(io: CliIo): Promise<number> {
  try {
    const config = loadConfig(io.env);
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
