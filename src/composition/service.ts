import type { Express } from 'express';
import type { Database } from 'better-sqlite3';
import { createApp } from '../adapters/http/app.js';
import type { Config } from '../config/env.js';
import type { ProjectRegistry } from '../config/projects.js';
import { composeEngine, composeEngineOn, type Engine, type ServiceOptions } from './engine.js';
import type { EngineStorage } from './engine-storage.js';
import { metricsEndpoint } from './metrics-endpoint.js';

/**
 * The service in one thread: the engine and its express app on the same storage. Tests, the demo and `serve` on
 * PostgreSQL use it; `serve` on a SQLite file runs the engine in a thread of its own (start-service.ts).
 */

/** The service on any storage. */
export interface AnyService extends Omit<Engine, 'http' | 'readiness'> {
  readonly app: Express;
}

/** The service on SQLite, with its connection (tests read it). */
export type Service = AnyService & { readonly db: Database };

/** The service on SQLite at DATABASE_PATH; `db` is its connection. */
export function composeService(config: Config, projects: ProjectRegistry, options: ServiceOptions = {}): Service {
  const { db, ...engine } = composeEngine(config, projects, options);
  return { ...serviceOf(engine, config, projects), db };
}

/** The service on storage already opened (PostgreSQL: engine-storage.ts). */
export function composeServiceOn(storage: EngineStorage, config: Config, projects: ProjectRegistry, options: ServiceOptions = {}): AnyService {
  return serviceOf(composeEngineOn(storage, config, projects, options), config, projects);
}

function serviceOf(composed: Engine, config: Config, projects: ProjectRegistry): AnyService {
  const { http, readiness, close, ...engine } = composed;
  let closing = false;
  const app = createApp({
    ...http,
    readiness: () => readiness(closing),
    admin: engine.storage.admin,
    dashboard: engine.storage.dashboard,
    providerWebhooks: engine.sms.webhooks,
    metrics: metricsEndpoint({ config, queries: engine.storage.metrics(projects), projects, now: http.now, engineSnapshot: engine.metrics.snapshot }),
  });
  return {
    ...engine, app,
    async close() {
      closing = true;
      await close();
    },
  };
}
