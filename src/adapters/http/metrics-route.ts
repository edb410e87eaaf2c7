import express, { type Router } from 'express';
import type { Logger } from '../../ports/logger.js';
import { METRICS_CONTENT_TYPE } from '../metrics/exposition.js';
import { requireBearerToken } from './admin-auth.js';

/** What `GET /metrics` needs: who may scrape, and the page. */
export interface MetricsEndpoint {
  /** The admin token, and METRICS_TOKEN when set (a scraper's token opens /metrics alone). */
  readonly tokens: readonly string[];
  scrape(): Promise<string>;
}

/** `GET /metrics` in Prometheus' text format, behind a bearer token. */
export function metricsRoute(endpoint: MetricsEndpoint, logger: Logger): Router {
  const router = express.Router();
  const auth = requireBearerToken(endpoint.tokens, { refusal: 'a valid metrics or admin token is required (Authorization: Bearer …)' });
  router.get('/metrics', auth, async (_req, res) => {
    try {
      res.set('Cache-Control', 'no-store').type(METRICS_CONTENT_TYPE).send(await endpoint.scrape());
    } catch (error) {
      // A scrape that cannot read the database says so to the scraper (a failed scrape is itself a signal).
      logger.error({ err: error }, 'metrics could not be read');
      res.status(503).type('text/plain').send('metrics could not be read\n');
    }
  });
  return router;
}
