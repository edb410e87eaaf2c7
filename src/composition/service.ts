import type { Express } from 'express';
import { sqliteDashboardQueries } from '../adapters/admin/dashboard-queries.js';
import { sqliteAdminQueries } from '../adapters/admin/sqlite-admin-queries.js';
import { createApp } from '../adapters/http/app.js';
import type { Config } from '../config/env.js';
import type { ProjectRegistry } from '../config/projects.js';
import { composeEngine, type Engine, type ServiceOptions } from './engine.js';
import { metricsEndpoint } from './metrics-endpoint.js';

/**
 * The service in one thread: the engine and its express app on the same database. Tests, replay and the
 * demo use it; `serve` on a database file runs the engine in a thread of its own (start-service.ts).
 */

export interface Service extends Omit<Engine, 'http' | 'readiness'> {
  readonly app: Express;
}

export function composeService(config: Config, projects: ProjectRegistry, options: ServiceOptions = {}): Service {
  const { http, readiness, close, ...engine } = composeEngine(config, projects, options);
  let closing = false;
  const app = createApp({
    ...http,
    readiness: () => readiness(closing),
    admin: sqliteAdminQueries(engine.db),
    dashboard: sqliteDashboardQueries(engine.db),
    providerWebhooks: engine.sms.webhooks,
    metrics: metricsEndpoint({ config, projects, db: engine.db, now: http.now, engineSnapshot: engine.metrics.snapshot }),
  });
  return {
    ...engine, app,
    async close() {
      closing = true;
      await close();
    },
  };
}
