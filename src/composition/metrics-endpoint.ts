import type { MetricsSnapshot } from '../adapters/metrics/engine-metrics.js';
import { exposition, storedStateSnapshot } from '../adapters/metrics/exposition.js';
import type { MetricsEndpoint } from '../adapters/http/metrics-route.js';
import type { Config } from '../config/env.js';
import type { ProjectRegistry } from '../config/projects.js';
import type { MetricsQueries } from '../ports/storage/admin-reads.js';

export interface MetricsEndpointDeps {
  readonly config: Config;
  readonly projects: ProjectRegistry;
  /** The stored figures, read where the HTTP side reads (a read-only connection beside an engine thread). */
  readonly queries: MetricsQueries;
  readonly now: () => Date;
  /** The engine's counters, wherever the engine runs; a rejection leaves them out of this scrape. */
  readonly engineSnapshot: () => Promise<MetricsSnapshot>;
}

/** `GET /metrics`: the engine's counters and histograms beside the database's figures read now. */
export function metricsEndpoint(deps: MetricsEndpointDeps): MetricsEndpoint {
  const { queries } = deps;
  const projects = deps.projects.projects.map((project) => project.id);
  return {
    tokens: deps.config.metricsToken === undefined ? [deps.config.adminToken] : [deps.config.adminToken, deps.config.metricsToken],
    async scrape() {
      const now = deps.now();
      const figures = await queries.read(now);
      // A busy or stuck engine must not cost the queues' figures, which are what shows it is stuck.
      const engine = await deps.engineSnapshot().catch(() => undefined);
      const stored = await storedStateSnapshot(figures, projects, now, engine !== undefined);
      return exposition(engine === undefined ? [stored] : [engine, stored]);
    },
  };
}
