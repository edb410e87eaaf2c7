/**
 * A process that logs through the service's stdout destination (asynchronous unless asked) and exits
 * at once, with lines still queued; or (`lingering`) tells its parent it has logged and runs on until
 * killed. logger.test.ts reads what reached stdout, and when.
 */
import { createLogger } from '../../src/adapters/logging/logger.js';

const [lines, exitCode, mode] = [Number(process.argv[2]), Number(process.argv[3] ?? 0), process.argv[4]];
const logger = createLogger({ level: 'info', synchronous: mode === 'synchronous' });
for (let i = 0; i < lines; i++) logger.info({ line: i, phone: '+16505551000' }, 'inbound text');
if (mode === 'lingering') {
  process.send?.('logged');
  setInterval(() => undefined, 60_000);
} else {
  process.exit(exitCode);
}
