/**
 * The engine logs through pino's interface; the logging adapter configures redaction and output. Never log a
 * phone number, a message body, an answer or a token: log a participant key instead.
 */
export type { Logger } from 'pino';

/** A phone number's salted hash, the only way a participant appears in logs. */
export type ParticipantKey = (phone: string) => string;
