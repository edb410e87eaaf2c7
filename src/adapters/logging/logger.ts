import { createHmac } from 'node:crypto';
import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../../config/env.js';
import { remembered } from '../../config/remembered.js';

import type { ParticipantKey } from '../../ports/logger.js';

export type { Logger, ParticipantKey } from '../../ports/logger.js';

/**
 * Fields that may carry a phone number, a message body, an answer or a secret. The list is fixed here
 * and never built from input (pino compiles it once). Code should not log these at all; this is the
 * safety net for the day someone does. Log `participantKey` instead of a number.
 */
const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-twilio-signature"]',
  'req.body',
  'headers.authorization',
  'body',
  'Body',
  'From',
  'To',
  'phone',
  'to',
  'from',
  'text',
  'answer',
  'answers',
  'token',
  'authToken',
  'adminToken',
  'apiToken',
  'password',
  '*.body',
  '*.Body',
  '*.From',
  '*.To',
  '*.phone',
  '*.to',
  '*.from',
  '*.text',
  '*.token',
  '*.authToken',
  '*.password',
  // Axios errors carry the request (with the REDCap token in its form body) and the response.
  'err.config',
  'err.request',
  'err.response',
];

export interface LoggerOptions {
  readonly level: LogLevel;
  /** Where JSON lines go; stdout by default, an in-memory stream in tests. */
  readonly destination?: DestinationStream;
  /**
   * Stdout written line by line as logged. A worker thread that dies is stopped where it stands, with
   * no exit to flush at, so the engine thread logs this way: its last lines are the ones that explain.
   */
  readonly synchronous?: boolean;
}

export function createLogger(options: LoggerOptions): Logger {
  const settings = {
    level: options.level,
    base: { service: 'redcap-sms' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  };
  return pino(settings, options.destination ?? standardOutput(options.synchronous === true));
}

/**
 * Stdout, by default written asynchronously and a few kilobytes at a time: a system call for every line
 * (one per inbound text) took about a tenth of the HTTP thread's CPU per text. A quiet service's lines
 * still go out within FLUSH_EVERY_MS, and pino flushes what is left when the process exits (ADR 0021).
 */
function standardOutput(synchronous: boolean): DestinationStream {
  if (synchronous) return pino.destination({ dest: 1, sync: true });
  return pino.destination({ dest: 1, sync: false, minLength: WRITE_AT_BYTES, periodicFlush: FLUSH_EVERY_MS });
}

/** About twenty lines; pino's documentation suggests this size for asynchronous logging. */
const WRITE_AT_BYTES = 4096;
const FLUSH_EVERY_MS = 250;

/** Turns a phone number into a stable pseudonymous key for logs (HMAC-SHA256 under a secret salt). */
export function participantKeyer(salt: string): ParticipantKey {
  // Every webhook logs the key of its sender; an HMAC per text showed in the HTTP thread's profile.
  return remembered((phone) => `p_${createHmac('sha256', salt).update(phone.trim()).digest('hex').slice(0, 20)}`, 50_000);
}
