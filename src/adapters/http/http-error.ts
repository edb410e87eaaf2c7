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
    if (error instanceof HttpError) return void res.status(error.status).json({ error: error.message });
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return void res.status(400).json({ error: 'the request body could not be read' });
    }
    logger.error({ err: error }, 'request failed');
    res.status(500).json({ error: 'internal error' });
  };
}
