/**
 * The REDCap write-back: sends committed answers (and opt-out changes) to REDCap. One import per
 * record row, retried with backoff until it lands; the conversation never waits for it. A write REDCap
 * refuses for good (a validation error) is kept as `failed`, shown with its conversation and logged.
 */
import type { Clock } from '../adapters/clock.js';
import type { Logger } from '../adapters/logging/logger.js';
import type { RedcapClient } from '../adapters/redcap/index.js';
import type { SqliteStore } from '../adapters/storage/index.js';
import type { RedcapSyncStore } from '../adapters/storage/redcap-sync-store.js';
import { backoffMs, type RetryPolicy } from './dispatch-outbox.js';
import { planOptOutChanges, type OptOutChange } from './opt-out-plan.js';
import { createPollingLoop, type PollingLoop } from './polling-loop.js';
import { failureReason, isPermanentFailure } from './redcap-failure.js';
import { planWrites, type WriteBatch } from './write-back-plan.js';

export interface CompletedInstrument {
  project: string;
  recordId: string;
  instrument: string;
  event: string | null;
}

export interface WriteBackDeps {
  store: SqliteStore;
  sync: RedcapSyncStore;
  redcap: (project: string) => RedcapClient;
  clock: Clock;
  logger: Logger;
  /** Sets or clears the opt-out fields in REDCap for one phone (see opt-out-sync.ts). */
  syncOptOut?: (change: OptOutChange) => Promise<void>;
  /** Runs after an import that completed an instrument has landed (the survey queue). */
  onCompleted?: (completed: CompletedInstrument) => Promise<void>;
  /** `maxAttempts` is ignored: a write that may still land is retried until it does. */
  retry?: RetryPolicy;
  idleMs?: number;
}

export interface WriteBackReport {
  sent: number;
  retried: number;
  failed: number;
}

/** Backoff for REDCap: from 2 s up to 10 minutes between attempts, for as long as REDCap is down. */
export const WRITE_BACK_RETRY: RetryPolicy = { baseMs: 2_000, maxDelayMs: 10 * 60_000, maxAttempts: Number.POSITIVE_INFINITY };

export interface RedcapWriter extends PollingLoop {
  runOnce(): Promise<WriteBackReport>;
}

export function createRedcapWriter(deps: WriteBackDeps): RedcapWriter {
  const runOnce = () => writeDue(deps);
  const loop = createPollingLoop({
    name: 'redcap-write-back', clock: deps.clock, logger: deps.logger, idleMs: deps.idleMs ?? 1_000,
    tick: async () => void (await runOnce()),
  });
  return { ...loop, runOnce };
}

/** One round: every due group, oldest first, one REDCap request each. */
export async function writeDue(deps: WriteBackDeps): Promise<WriteBackReport> {
  const report: WriteBackReport = { sent: 0, retried: 0, failed: 0 };
  const now = deps.clock.now().toISOString();
  const pending = deps.sync.pendingRedcapRows();
  for (const batch of planWrites(pending, now, (version) => deps.store.loadSurvey(version))) {
    const client = deps.redcap(batch.project);
    const landed = await attempt(deps, report, batch.outboxIds, batch.attempts, () => client.importRecords(batch.rows), batch.project);
    if (landed) await afterLanding(deps, batch);
  }
  if (deps.syncOptOut !== undefined) {
    const sync = deps.syncOptOut;
    for (const change of planOptOutChanges(pending, now)) {
      await attempt(deps, report, change.outboxIds, change.attempts, () => sync(change), change.project);
    }
  }
  return report;
}

/** The survey queue after a completion; the write has landed, so a failure here must not resend it. */
async function afterLanding(deps: WriteBackDeps, batch: WriteBatch): Promise<void> {
  for (const instrument of batch.completed) {
    try {
      await deps.onCompleted?.({ project: batch.project, recordId: batch.recordId, instrument, event: batch.event });
    } catch (error) {
      deps.logger.error({ project: batch.project, instrument, reason: failureReason(error) }, 'survey queue not advanced after a completion');
    }
  }
}

/** Sends one group and records the outcome on its rows; true when it landed. */
async function attempt(
  deps: WriteBackDeps, report: WriteBackReport, ids: number[], attempts: number, send: () => Promise<unknown>, project: string,
): Promise<boolean> {
  try {
    await send();
    deps.sync.markSent(ids);
    report.sent += ids.length;
    return true;
  } catch (error) {
    const reason = failureReason(error);
    if (isPermanentFailure(error)) {
      deps.sync.markFailed(ids, reason);
      report.failed += ids.length;
      deps.logger.error({ project, outboxIds: ids, reason }, 'REDCap refused a write for good; kept for staff');
      return false;
    }
    const delay = backoffMs(attempts + 1, deps.retry ?? WRITE_BACK_RETRY);
    deps.sync.scheduleRetry(ids, new Date(deps.clock.now().getTime() + delay).toISOString(), reason);
    report.retried += ids.length;
    deps.logger.warn({ project, outboxIds: ids, reason, attempts: attempts + 1 }, 'REDCap write failed; will retry');
    return false;
  }
}
