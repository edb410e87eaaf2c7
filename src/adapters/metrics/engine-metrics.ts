import { Counter, Histogram, Registry } from 'prom-client';
import type { Metrics } from '../../ports/metrics.js';

/**
 * The engine's counters and histograms in a prom-client registry of their own (never the global one: a
 * process, or a test file, composes several engines). They live where the engine runs, on the engine
 * thread under `serve`; the HTTP thread asks for a snapshot at scrape time and renders it (exposition.ts).
 */

/** A registry's metrics as plain data, which crosses threads as it is. */
export type MetricsSnapshot = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;

export interface EngineMetrics extends Metrics {
  snapshot(): Promise<MetricsSnapshot>;
}

/** From a millisecond to ten seconds: a unit of work is a few ms, one waiting for a slow disk far more. */
const UNIT_OF_WORK_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createEngineMetrics(): EngineMetrics {
  const registry = new Registry();
  const registers = [registry];
  const inbound = new Counter({
    name: 'redcap_sms_inbound_texts_total', help: 'Inbound texts the engine took, by provider and outcome (new, duplicate, failed).',
    labelNames: ['provider', 'outcome'] as const, registers,
  });
  const units = new Histogram({
    name: 'redcap_sms_unit_of_work_seconds', help: 'Units of work from call to commit, by kind and outcome; _count counts them.',
    labelNames: ['kind', 'outcome'] as const, buckets: UNIT_OF_WORK_BUCKETS, registers,
  });
  const sent = new Counter({
    name: 'redcap_sms_texts_sent_total', help: 'Sends the SMS provider answered, by project and outcome (sent, opted-out, retry, rejected).',
    labelNames: ['project', 'outcome'] as const, registers,
  });
  const providerErrors = new Counter({
    name: 'redcap_sms_provider_errors_total', help: "SMS provider errors by stage (send, delivery) and the provider's error code.",
    labelNames: ['stage', 'code'] as const, registers,
  });
  const redcapWrites = new Counter({
    name: 'redcap_sms_redcap_writes_total', help: 'Outbox rows sent to REDCap, by project and outcome (landed, retry, refused).',
    labelNames: ['project', 'outcome'] as const, registers,
  });
  const timers = new Counter({ name: 'redcap_sms_timers_fired_total', help: 'Reminders, expiries and scheduled invitations fired.', registers });
  return {
    inboundText: (provider, outcome) => inbound.inc({ provider, outcome }),
    unitOfWork: (kind, seconds, outcome) => units.observe({ kind, outcome }, seconds),
    textSent: (project, outcome) => sent.inc({ project, outcome }),
    providerError: (stage, code) => providerErrors.inc({ stage, code: String(code) }),
    redcapWrites: (project, outcome, rows) => redcapWrites.inc({ project, outcome }, rows),
    timersFired: (count) => timers.inc(count),
    snapshot: () => registry.getMetricsAsJSON(),
  };
}
