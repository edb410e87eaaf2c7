import { AggregatorRegistry, Gauge, Registry } from 'prom-client';
import type { StoredFigures } from '../../ports/storage/admin-reads.js';
import type { MetricsSnapshot } from './engine-metrics.js';

/** Prometheus' text format, version 0.0.4. */
export const METRICS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

/**
 * Renders snapshots taken in different threads as one page. Each metric name comes from one snapshot
 * only, so prom-client's aggregation (meant for cluster workers) only puts them side by side.
 */
export function exposition(snapshots: readonly MetricsSnapshot[]): Promise<string> {
  return AggregatorRegistry.aggregate([...snapshots]).metrics();
}

const CHANNELS = ['sms', 'redcap'] as const;
const OPT_OUT_SOURCES = ['keyword', 'provider'] as const;

/**
 * The database's figures as gauges, read at scrape time, plus whether the engine's own counters came.
 * Every configured project has its series, at 0 when nothing waits: an alert on a queue then sees it empty
 * rather than absent.
 */
export function storedStateSnapshot(figures: StoredFigures, projects: readonly string[], now: Date, engineAnswered: boolean): Promise<MetricsSnapshot> {
  const registry = new Registry();
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Gauge<L>({ name, help, labelNames, registers: [registry] });
  const pending = gauge('redcap_sms_outbox_pending', 'Outbox rows waiting: texts to send (sms) and REDCap writes (redcap).', ['channel', 'project']);
  const age = gauge('redcap_sms_outbox_oldest_pending_seconds', 'How long ago the oldest waiting outbox row was queued.', ['channel', 'project']);
  const failed = gauge('redcap_sms_outbox_failed', 'Outbox rows that failed for good and are kept for staff.', ['channel', 'project']);
  const optOuts = gauge('redcap_sms_opted_out_numbers', 'Phone numbers opted out, by how (keyword or provider).', ['project', 'source']);
  const used = gauge('redcap_sms_segments_sent_this_month', "SMS segments sent this calendar month (the project's time zone).", ['project']);
  const budget = gauge('redcap_sms_monthly_segment_budget', 'The monthly SMS segment budget.', ['project']);
  const up = gauge('redcap_sms_engine_metrics_up', "1 when the engine answered this scrape with its counters, 0 when it did not in time.", []);
  for (const project of projects) {
    for (const channel of CHANNELS) {
      pending.set({ channel, project }, 0);
      age.set({ channel, project }, 0);
      failed.set({ channel, project }, 0);
    }
    for (const source of OPT_OUT_SOURCES) optOuts.set({ project, source }, 0);
  }
  for (const queue of figures.queues) {
    const labels = { channel: queue.channel, project: queue.project };
    pending.set(labels, queue.pending);
    age.set(labels, Math.max(0, (now.getTime() - Date.parse(queue.oldestQueuedAt)) / 1000));
  }
  for (const row of figures.failed) failed.set({ channel: row.channel, project: row.project }, row.count);
  for (const row of figures.optOuts) optOuts.set({ project: row.project, source: row.source }, row.count);
  for (const row of figures.segments) {
    used.set({ project: row.project }, row.used);
    budget.set({ project: row.project }, row.budget);
  }
  up.set(engineAnswered ? 1 : 0);
  return registry.getMetricsAsJSON();
}
