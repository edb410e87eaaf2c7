import express, { type Express } from 'express';
import type { DashboardQueries } from '../../ports/storage/admin-reads.js';
import type { AdminQueries } from '../../ports/storage/admin-reads.js';
import type { Logger } from '../../ports/logger.js';
import { requireAdminToken } from './admin-auth.js';
import { adminApi } from './admin-api.js';
import type { Invitations } from '../../ports/engine.js';
import { assets } from './assets.js';
import { dashboardRoutes } from './dashboard-routes.js';
import { jsonErrors } from './http-error.js';
import { metricsRoute, type MetricsEndpoint } from './metrics-route.js';
import { answeringFirst } from './plain-routes.js';
import { projectsApi, type ProjectsApiDeps } from './projects-api.js';
import { redcapDetWebhook, type RedcapDetDeps } from './redcap-det.js';
import type { TwilioWebhookDeps } from './twilio-webhooks.js';
import type { InboundDeps, ProviderWebhooks } from '../provider/provider.js';

export interface Readiness {
  readonly ready: boolean;
  readonly checks: Readonly<Record<string, boolean>>;
  /** Information that does not decide readiness (SMS provider account, segment budgets). */
  readonly detail?: Readonly<Record<string, unknown>> | undefined;
}

export interface HttpDeps extends TwilioWebhookDeps {
  readonly adminToken: string;
  readonly logger: Logger;
  readonly admin: AdminQueries;
  readonly invitations: Invitations | undefined;
  readonly readiness: () => Readiness | Promise<Readiness>;
  /** The REDCap integration's routes (DET webhook, project views); absent, those routes 404. */
  readonly redcap?: (Omit<RedcapDetDeps, 'logger'> & ProjectsApiDeps) | undefined;
  /** The study dashboard's figures; absent, /dashboard 404s. */
  readonly dashboard?: DashboardQueries | undefined;
  /** `GET /metrics`; absent, it 404s. */
  readonly metrics?: MetricsEndpoint | undefined;
  /** The SMS provider's inbound routes (Twilio's or Mosio's webhooks). */
  readonly providerWebhooks: (deps: InboundDeps) => ProviderWebhooks;
}

/** The one express app (DESIGN §3). Tests drive it with supertest; `serve` listens with it. */
export function createApp(deps: HttpDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // Every response here is fresh state (or a webhook's fixed TwiML); hashing each body for an ETag only costs CPU.
  app.set('etag', false);
  app.set('trust proxy', true);
  app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/readyz', async (_req, res) => {
    const readiness = await deps.readiness();
    res.status(readiness.ready ? 200 : 503).json({
      status: readiness.ready ? 'ready' : 'not ready', checks: readiness.checks,
      ...(readiness.detail === undefined ? {} : { detail: readiness.detail }),
    });
  });
  if (deps.redcap !== undefined) {
    app.use('/webhooks/redcap', redcapDetWebhook({ handleDet: deps.redcap.handleDet, logger: deps.logger }));
    app.use('/api', requireAdminToken(deps.adminToken), projectsApi(deps.redcap));
  }
  app.use('/api', requireAdminToken(deps.adminToken), express.json({ limit: '64kb' }), adminApi(deps.admin, deps.invitations));
  app.use('/assets', assets());
  if (deps.dashboard !== undefined) app.use(dashboardRoutes(deps.dashboard, deps.adminToken, deps.now));
  if (deps.metrics !== undefined) app.use(metricsRoute(deps.metrics, deps.logger));
  app.use((_req, res) => void res.status(404).json({ error: 'not found' }));
  app.use(jsonErrors(deps.logger));
  return answeringFirst(app, deps.providerWebhooks(deps), deps.logger);
}
