import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';

/** An error a route raises on purpose: its status and a message safe to show the caller. */
export class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/**
 * The last middleware: a JSON `{ error }` with a clear message, never a stack trace. Body-parser
 * failures (malformed JSON or form) carry their own 4xx status and become 400s.
 */
export function jsonErrors(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, _next) => {
    const reply = errorReply(error, logger);
    res.status(reply.status).json(reply.body);
  };
}

/** What a failed request is answered, in express or ahead of it; an unexpected failure is logged. */
export function errorReply(error: unknown, logger: Logger): { status: number; body: { error: string } } {
  if (error instanceof HttpError) return { status: error.status, body: { error: error.message } };
  const status = (error as { status?: unknown }).status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { status: 400, body: { error: 'the request body could not be read' } };
  }
  logger.error({ err: error }, 'request failed');
  return { status: 500, body: { error: 'internal error' } };
}
