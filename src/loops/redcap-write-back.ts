/**
 * The REDCap write-back: sends committed answers (and opt-out changes) to REDCap. One import per
 * record row, retried with backoff until it lands; the conversation never waits for it. A write REDCap
 * refuses for good (a validation error) is kept as `failed`, shown with its conversation and logged.
 */
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import { addsInstance as rowAddsInstance, type RedcapClient } from '../ports/redcap/index.js';
import type { ConversationStore } from '../ports/storage/conversation-store.js';
import type { PendingRedcapRow, RedcapSyncStore } from '../ports/storage/redcap-sync-store.js';
import type { Survey } from '../dictionary/model.js';
import { backoffMs, type RetryPolicy } from '../policies/backoff.js';
import { planOptOutChanges, type OptOutChange } from '../policies/opt-out-plan.js';
import type { SharedCommit } from '../ports/storage/shared-commit.js';
import { createPollingLoop, skippingRounds, type PollingLoop } from './polling-loop.js';
import { ProjectNotConfigured } from '../use-cases/project-not-configured.js';
import { failureReason, isPermanentFailure } from '../use-cases/redcap-failure.js';
import { planWrites, type WriteBatch } from '../policies/write-back-plan.js';
import { WRITE_BACK_RETRY } from '../policies/backoff.js';
import type { CompletedInstrument } from '../ports/engine.js';
import type { Metrics } from '../ports/metrics.js';

export interface WriteBackDeps {
  store: ConversationStore;
  sync: RedcapSyncStore;
  /** The configured projects' ids: each one's writes are read on their own. */
  projects: readonly string[];
  redcap: (project: string) => RedcapClient;
  clock: Clock;
  logger: Logger;
  /** Sets or clears the opt-out fields in REDCap for one phone (see opt-out-sync.ts). */
  syncOptOut?: (change: OptOutChange) => Promise<void>;
  /** Runs after an import that completed an instrument has landed (the survey queue). */
  onCompleted?: (completed: CompletedInstrument) => Promise<void>;
  /**
   * Commits what a round learnt (sent, failed, retry later) on the database; by default in a unit of its own, in the
   * service in the inbound texts' group commit, so a round under load costs no fsync of its own.
   */
  commit?: SharedCommit;
  /** Counts what each request came to. */
  metrics?: Pick<Metrics, 'redcapWrites'>;
  /** `maxAttempts` is ignored: a write that may still land is retried until it does. */
  retry?: RetryPolicy;
  idleMs?: number;
  /** How long a round's claim lasts (WRITE_CLAIM_MS unless the operator shortened the leases). */
  claimMs?: number;
}

export interface WriteBackReport {
  sent: number;
  retried: number;
  failed: number;
  /** The earliest retry this round scheduled, if any. */
  nextRetryAt?: string;
}

/** Rounds start at most this often under load: answers wait a moment more, and go to REDCap together. */
export const WRITE_BACK_GAP_MS = 100;

/** The longest a round that landed nothing waits for its earliest retry before it looks again. */
export const OUTAGE_REST_MAX_MS = 10_000;

export interface RedcapWriter extends PollingLoop {
  runOnce(): Promise<WriteBackReport>;
  /** One round as the loop runs it: skipped while resting after a round in which nothing landed. */
  round(): Promise<void>;
}

/** A round reads at most this many of each project's pending rows. */
export const ROWS_PER_PROJECT = 5_000;

/**
 * How long a round's claim on its rows lasts (decision 0063). A round starts no import after half of it, and
 * an import started lasts at most its client's timeouts and retries (4 × 30 s and backoff, about two minutes),
 * so the claim still holds when the import ends: no other writer imports a later value of the same record
 * before it lands.
 */
export const WRITE_CLAIM_MS = 10 * 60_000;

/**
 * The write claim as a multiple of the claim lease of texts and timers (POSTGRES_CLAIM_LEASE_SECONDS): 5 × its
 * default 120 s is WRITE_CLAIM_MS, and an operator (or the kill proof) who shortens the leases to see a dead
 * instance's work taken over sooner shortens this one alike.
 */
export const WRITE_CLAIM_PER_LEASE = 5;

export function createRedcapWriter(deps: WriteBackDeps): RedcapWriter {
  // The configuration is fixed for the process, so writes of unconfigured projects are looked for once.
  let checkedOthers = false;
  const runOnce = async () => {
    const failed = checkedOthers ? 0 : await failWritesOfOtherProjects(deps);
    checkedOthers = true;
    const report = await writeDue(deps);
    return { ...report, failed: report.failed + failed };
  };
  const round = skippingRounds(deps.clock, runOnce, (report) => restAfterOutage(report, deps.clock.now()));
  const loop = createPollingLoop({
    name: 'redcap-write-back', clock: deps.clock, logger: deps.logger, idleMs: deps.idleMs ?? 1_000, minGapMs: WRITE_BACK_GAP_MS,
    tick: round,
  });
  return { ...loop, runOnce, round: async () => void (await round()) };
}

/**
 * A round in which nothing landed and something waits for a retry (REDCap down or unreachable) rests
 * until that retry is due, at most OUTAGE_REST_MAX_MS: a round reads every pending write (about 20 µs
 * each), and under load it would run again at every text, on the engine thread, for the whole outage.
 */
function restAfterOutage(report: WriteBackReport, now: Date): number {
  if (report.sent > 0 || report.nextRetryAt === undefined) return 0;
  return Math.min(Math.max(0, Date.parse(report.nextRetryAt) - now.getTime()), OUTAGE_REST_MAX_MS);
}

/**
 * REDCap takes many records in one import and refuses the whole import if any row is invalid. Up to this
 * many groups go in one request, so a busy study costs REDCap a request per round instead of one per
 * participant (REDCap rate-limits API users); a refused import is retried group by group to find the
 * one at fault, so one bad value never holds back anyone else's answers.
 */
export const GROUPS_PER_IMPORT = 100;

/**
 * Writes queued for a project the configuration no longer has cannot be sent (no REDCap URL or token):
 * kept as failed for staff, with the reason, rather than pending for ever.
 */
async function failWritesOfOtherProjects(deps: WriteBackDeps): Promise<number> {
  const rows = await deps.sync.pendingOutside(deps.projects);
  for (const project of new Set(rows.map((row) => row.project))) {
    const ids = rows.filter((row) => row.project === project).map((row) => row.id);
    const reason = new ProjectNotConfigured(project).message;
    await commitOf(deps)((tx) => tx.sync.markFailed(ids, reason));
    // A count, not the ids: after a long outage there can be thousands.
    deps.logger.error({ project, writes: ids.length, reason }, 'REDCap writes of a project that is not configured; kept for staff');
  }
  return rows.length;
}

/**
 * One round: every due group, oldest first, as few REDCap requests as the groups allow. Each project's
 * rows are claimed on their own, so one project's backlog (writes waiting out an outage) hides no other's,
 * and another instance's writer takes other rows, never a record's later ones while this one holds its earlier
 * (decision 0063). What the round did not finish is released for the next round, on any instance.
 */
export async function writeDue(deps: WriteBackDeps): Promise<WriteBackReport> {
  const round: Round = { sent: 0, retried: 0, failed: 0, settled: new Set() };
  const claimedAt = deps.clock.now();
  const now = claimedAt.toISOString();
  const claimMs = deps.claimMs ?? WRITE_CLAIM_MS;
  const claims = await Promise.allSettled(deps.projects.map((project) => deps.sync.claimRedcapRows(project, now, ROWS_PER_PROJECT, claimMs)));
  const claimed = claims.flatMap((claim) => (claim.status === 'fulfilled' ? claim.value : []));
  const inTime = () => deps.clock.now().getTime() - claimedAt.getTime() < claimMs / 2;
  try {
    // A claim that failed fails the round, after the others' rows are released (not left claimed for the lease).
    for (const claim of claims) if (claim.status === 'rejected') throw claim.reason;
    const surveys = await surveysOf(deps, claimed);
    for (const imports of importsOf(planWrites(claimed, now, surveys))) {
      if (!inTime()) break;
      await importTogether(deps, round, imports);
    }
    if (deps.syncOptOut !== undefined) {
      const sync = deps.syncOptOut;
      for (const change of planOptOutChanges(claimed, now)) {
        if (!inTime()) break;
        await attempt(deps, round, change.outboxIds, change.attempts, () => sync(change), change.project);
      }
    }
  } finally {
    const unfinished = claimed.map((row) => row.id).filter((id) => !round.settled.has(id));
    if (unfinished.length > 0) await deps.sync.releaseRedcapRows(unfinished);
  }
  const { settled: _settled, ...report } = round;
  return report;
}

/** A round's report, and the rows it marked (sent, failed or retried): those it does not release. */
interface Round extends WriteBackReport {
  settled: Set<number>;
}

/**
 * Consecutive groups of one project, at most GROUPS_PER_IMPORT at a time. A group that creates a new
 * repeating instance goes alone: such an import is sent once and never repeated.
 */
function importsOf(batches: readonly WriteBatch[]): WriteBatch[][] {
  const imports: WriteBatch[][] = [];
  for (const batch of batches) {
    const last = imports.at(-1);
    const joins = last !== undefined && last.length < GROUPS_PER_IMPORT && last[0]!.project === batch.project
      && !addsInstance(batch) && !addsInstance(last[0]!);
    if (joins) last.push(batch);
    else imports.push([batch]);
  }
  return imports;
}

const addsInstance = (batch: WriteBatch): boolean => batch.rows.some(rowAddsInstance);

/** Imports the groups in one request; when REDCap refuses it for good, one request per group instead. */
async function importTogether(deps: WriteBackDeps, report: Round, batches: readonly WriteBatch[]): Promise<void> {
  const project = batches[0]!.project;
  // The client is looked up inside the attempt: a project the configuration lost fails its own writes only.
  const send = () => deps.redcap(project).importRecords(batches.flatMap((batch) => batch.rows));
  const ids = batches.flatMap((batch) => batch.outboxIds);
  const attempts = Math.max(...batches.map((batch) => batch.attempts));
  const outcome = await attempt(deps, report, ids, attempts, send, project, batches.length > 1);
  if (outcome === 'refused') {
    for (const batch of batches) await importTogether(deps, report, [batch]);
  }
  if (outcome !== 'landed') return;
  for (const batch of batches) await afterLanding(deps, batch);
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

/**
 * Sends and records the outcome on the rows. With `splitIfRefused`, a refusal is left to the caller to
 * split, and nothing is marked: the rows are still pending, in this same round.
 */
async function attempt(
  deps: WriteBackDeps, report: Round, ids: number[], attempts: number, send: () => Promise<unknown>, project: string,
  splitIfRefused = false,
): Promise<'landed' | 'refused' | 'failed'> {
  try {
    await send();
    await commitOf(deps)((tx) => tx.sync.markSent(ids));
    for (const id of ids) report.settled.add(id);
    deps.metrics?.redcapWrites(project, 'landed', ids.length);
    report.sent += ids.length;
    return 'landed';
  } catch (error) {
    const reason = failureReason(error);
    if (isPermanentFailure(error)) {
      if (splitIfRefused) return 'refused';
      await commitOf(deps)((tx) => tx.sync.markFailed(ids, reason));
      for (const id of ids) report.settled.add(id);
      deps.metrics?.redcapWrites(project, 'refused', ids.length);
      report.failed += ids.length;
      deps.logger.error({ project, outboxIds: ids, reason }, 'REDCap refused a write for good; kept for staff');
      return 'failed';
    }
    const delay = backoffMs(attempts + 1, deps.retry ?? WRITE_BACK_RETRY);
    const retryAt = new Date(deps.clock.now().getTime() + delay).toISOString();
    await commitOf(deps)((tx) => tx.sync.scheduleRetry(ids, retryAt, reason));
    for (const id of ids) report.settled.add(id);
    deps.metrics?.redcapWrites(project, 'retry', ids.length);
    report.retried += ids.length;
    if (report.nextRetryAt === undefined || retryAt < report.nextRetryAt) report.nextRetryAt = retryAt;
    deps.logger.warn({ project, outboxIds: ids, reason, attempts: attempts + 1 }, 'REDCap write failed; will retry');
    return 'failed';
  }
}

function commitOf(deps: WriteBackDeps): SharedCommit {
  return deps.commit ?? ((work) => deps.store.transaction(work));
}

/**
 * The pinned survey versions of the pending rows, loaded before the (pure) plan reads them; a version that
 * cannot be loaded fails the plan where it is needed, as it did when the plan loaded it itself.
 */
async function surveysOf(deps: WriteBackDeps, pending: readonly PendingRedcapRow[]): Promise<(version: string) => Survey> {
  const loaded = new Map<string, Survey | { failed: unknown }>();
  for (const version of new Set(pending.map((row) => row.surveyVersion ?? ''))) {
    loaded.set(version, await deps.store.loadSurvey(version).catch((error: unknown) => ({ failed: error })));
  }
  return (version) => {
    const survey = loaded.get(version);
    if (survey === undefined || 'failed' in survey) throw survey?.failed ?? new Error(`survey version ${version} was not loaded`);
    return survey;
  };
}
