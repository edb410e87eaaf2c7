import { resolve } from 'node:path';
import { startDemo, type RunningDemo } from '../../demo/demo.js';
import { EXIT, UsageError, type CliIo } from '../io.js';

/**
 * `redcap-sms serve --demo` (`npm start`): the embedded demo in `./data` (DATA_DIR to move it),
 * on PORT (3000 by default), until Ctrl+C; on PostgreSQL when DATABASE_URL is set, as `serve`.
 * Prints the one URL to open.
 */
export async function serveDemo(io: CliIo): Promise<number> {
  const port = demoPort(io.env.PORT);
  const dataDir = resolve(io.cwd, io.env.DATA_DIR ?? 'data');
  let demo: RunningDemo;
  try {
    demo = await startDemo({ dataDir, port, databaseUrl: io.env.DATABASE_URL?.trim() || undefined });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new UsageError(`port ${port} is in use; run with another, e.g. PORT=3001 npm start`);
    }
    throw error;
  }
  io.out([
    '',
    'redcap-sms demo is running: the real service, a built-in REDCap emulator and a phone simulator.',
    '',
    `  Open ${demo.simulatorUrl}`,
    '',
    `  Admin token (dashboard, /api): ${demo.adminToken}`,
    `  Data: ${dataDir}  ·  Ctrl+C to stop`,
    '',
  ].join('\n'));
  stopOnSignal(() => demo.stop());
  return EXIT.ok;
}

function demoPort(text: string | undefined): number {
  if (text === undefined || text.trim() === '') return 3000;
  const port = /^\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!(port >= 0 && port <= 65_535)) throw new UsageError(`PORT must be a port number, not "${text}"`);
  return port;
}

function stopOnSignal(stop: () => Promise<void>): void {
  const once = () => {
    process.off('SIGINT', once);
    process.off('SIGTERM', once);
    void stop();
  };
  process.once('SIGINT', once);
  process.once('SIGTERM', once);
}
