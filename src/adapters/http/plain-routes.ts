import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Express } from 'express';
import type { Logger } from '../../ports/logger.js';
import { errorReply } from './http-error.js';

/**
 * A route answered with node's own request and response, ahead of express (decision 0022). The SMS
 * providers' webhooks take every text of a study, and express's request handling (its prototype swap on
 * every request, the router's walk) cost each one more CPU on this machine than node's whole HTTP
 * server does; everything else (admin API, dashboard, DET) stays in express.
 */
export interface PlainRoute {
  readonly method: 'POST';
  /** The path; as in express, its case and a trailing slash do not matter, nor does a query string (a signature still covers it). */
  readonly path: string;
  /** Answers the request; a throw becomes the same JSON error express's last middleware gives. */
  readonly handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
}

type Handle = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void;

/**
 * Serves `routes` before the express app sees the request. Every way in reaches an app through its
 * `handle` (a listening server, supertest, an app mounted in another), so the routes are served on all of
 * them, and any other request goes on to express unchanged.
 */
export function answeringFirst(app: Express, routes: readonly PlainRoute[], logger: Logger): Express {
  if (routes.length === 0) return app;
  const byRoute = new Map(routes.map((route) => [`${route.method} ${routeKey(route.path)}`, route]));
  // `handle` is express's own entry point, not in its type declarations.
  const entry = app as unknown as { handle: Handle };
  const viaExpress = entry.handle.bind(app);
  entry.handle = (req, res, next) => {
    const route = byRoute.get(`${req.method} ${routeKey(req.url ?? '/')}`);
    if (route === undefined) return viaExpress(req, res, next);
    route.handle(req, res).catch((error: unknown) => {
      const reply = errorReply(error, logger);
      if (!res.headersSent) sendJson(res, reply.status, reply.body);
      else res.destroy();
    });
  };
  return app;
}

/** The URL a request was made to, as the client sent it (a mounting app keeps it in `originalUrl`). */
export function requestUrl(req: IncomingMessage): string {
  return (req as { originalUrl?: string }).originalUrl ?? req.url ?? '/';
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
}

export function sendXml(res: ServerResponse, body: string): void {
  send(res, 200, 'text/xml; charset=utf-8', body);
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** What decides the route, as express's default routing does: no query, any case, one trailing slash or none. */
function routeKey(url: string): string {
  const query = url.indexOf('?');
  const path = (query === -1 ? url : url.slice(0, query)).toLowerCase();
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}
