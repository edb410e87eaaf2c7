import Database from 'better-sqlite3';
import type { Express } from 'express';
import { sqliteDashboardQueries } from '../../adapters/admin/dashboard-queries.js';
import { sqliteMetricsQueries } from '../../adapters/admin/metrics-queries.js';
import { sqliteAdminQueries } from '../../adapters/admin/sqlite-admin-queries.js';
import { systemClock } from '../../adapters/clock.js';
import { createApp } from '../../adapters/http/app.js';
import { createLogger, participantKeyer } from '../../adapters/logging/logger.js';
import type { Logger } from '../../ports/logger.js';
import type { Config } from '../../config/env.js';
import type { ProjectRegistry } from '../../config/projects.js';
import { sqliteProviderStorage } from '../engine-storage.js';
import { providerWebhooks } from '../sms-provider-setup.js';
import { metricsEndpoint } from '../metrics-endpoint.js';
import { startEngineThread } from './client.js';

/** The service split in two threads: this one answers HTTP, the engine thread owns the database. */
export interface ThreadedService {
  readonly app: Express;
  readonly logger: Logger;
  /** The engine thread's heap after a full collection: undefined without `--expose-gc`. */
  engineHeapAfterCollection(): Promise<number | undefined>;
  close(): Promise<void>;
}

/**
 * The HTTP thread parses and verifies webhooks, answers the admin API's reads from a read-only
 * connection, and hands every unit of work to the engine thread, so signature checks and JSON for the
 * next request run while the engine steps conversations and waits for the disk ([0016]).
 */
export async function composeThreadedService(config: Config, projects: ProjectRegistry, onEngineExit: (error: Error) => void): Promise<ThreadedService> {
  const logger = createLogger({ level: config.logLevel });
  const engine = await startEngineThread(config, projects, onEngineExit);
  // Opened after the engine thread has created and migrated the database.
  const reader = await readOnly(config.databasePath, engine);
  logger.info({ engine: 'thread' }, 'engine thread started: it owns the database; this thread answers HTTP');
  let closing = false;
  const app = createApp({
    ...engine.calls,
    adminToken: config.adminToken,
    projects, logger,
    participantKey: participantKeyer(config.logSalt),
    // The engine thread wakes its own dispatcher and writer after each commit.
    afterCommit: () => undefined,
    now: () => systemClock.now(),
    readiness: async () => {
      const readiness = await engine.readiness().catch(() => ({ ready: false, checks: { engine: false } }));
      return { ...readiness, ready: readiness.ready && !closing, checks: { ...readiness.checks, accepting: !closing } };
    },
    admin: sqliteAdminQueries(reader),
    dashboard: sqliteDashboardQueries(reader),
    providerWebhooks: providerWebhooks({ config, projects, storage: sqliteProviderStorage(reader), clock: systemClock, logger }),
    metrics: metricsEndpoint({ config, projects, queries: sqliteMetricsQueries(reader, projects), now: () => systemClock.now(), engineSnapshot: engine.metrics }),
  });
  return {
    app, logger,
    engineHeapAfterCollection: () => engine.heapAfterCollection(),
    async close() {
      closing = true;
      await engine.stop();
      reader.close();
    },
  };
}

/** The HTTP thread's read-only connection; if it cannot open, the engine thread is stopped too. */
async function readOnly(path: string, engine: { stop(): Promise<void> }): Promise<Database.Database> {
  try {
    return new Database(path, { readonly: true, fileMustExist: true });
  } catch (error) {
    await engine.stop();
    throw error;
  }
}
