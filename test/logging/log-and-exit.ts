/**
 * A process that logs through the service's stdout destination (asynchronous unless asked) and exits
 * at once, with lines still queued: logger.test.ts reads what reached stdout.
 */
import { createLogger } from '../../src/adapters/logging/logger.js';

const lines = Number(process.argv[2]);
const logger = createLogger({ level: 'info', synchronous: process.argv[4] === 'synchronous' });
for (let i = 0; i < lines; i++) logger.info({ line: i, phone: '+16505551000' }, 'inbound text');
process.exit(Number(process.argv[3] ?? 0));
