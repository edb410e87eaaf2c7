import { createHmac } from 'node:crypto';
import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../../config/env.js';
import { remembered } from '../../config/remembered.js';

export type { Logger } from 'pino';

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
 * Stdout, by default written asynchronously: a line is handed to the OS as soon as the previous write is
 * done, and lines logged meanwhile go out together, instead of a system call per inbound text on the
 * HTTP thread (ADR 0021). pino flushes what is left when the process exits.
 */
function standardOutput(synchronous: boolean): DestinationStream {
  return pino.destination({ dest: 1, sync: synchronous });
}

/** Turns a phone number into a stable pseudonymous key for logs (HMAC-SHA256 under a secret salt). */
export type ParticipantKey = (phone: string) => string;

export function participantKeyer(salt: string): ParticipantKey {
  // Every webhook logs the key of its sender; an HMAC per text showed in the HTTP thread's profile.
  return remembered((phone) => `p_${createHmac('sha256', salt).update(phone.trim()).digest('hex').slice(0, 20)}`, 50_000);
}
