import type { DeliveryStore } from '../ports/storage/delivery-store.js';
import type { DueText } from '../ports/storage/delivery-store.js';
import type { Clock } from '../ports/clock.js';
import type { Logger, ParticipantKey } from '../ports/logger.js';
import type { SendOutcome, SmsSender } from '../ports/sms-provider.js';
import type { ProjectConfig, ProjectRegistry } from '../config/projects.js';
import type { DeliveryEvents } from '../use-cases/delivery-results.js';
import { createPollingLoop, skippingRounds, type PollingLoop } from './polling-loop.js';
import { eachAtMost } from './each-at-most.js';
import { ProjectNotConfigured } from '../use-cases/project-not-configured.js';
import { senderRate } from '../policies/token-bucket.js';
import type { SenderPace, SenderRate } from '../ports/storage/sender-pace.js';
import { backoffMs, type RetryPolicy } from '../policies/backoff.js';
import { sendsAtOnce } from '../policies/sends-at-once.js';

/** A sender with a high rate still sends in rounds of at most this many texts. */
const MAX_TEXTS_PER_ROUND = 100;

/**
 * How long a round's reserved slots stay good (decision 0059): a text not yet handed to the provider this long
 * after its slot was reserved waits for the next round, and the slot is given back. So one instance slow
 * between reserving and sending never bunches its texts onto the slots others reserved since: from one
 * sender, at most capacity + rate × (W + 0.25 s) texts reach the provider in any W seconds.
 */
export const SLOT_USE_BY_MS = 250;

export const DEFAULT_RETRY: RetryPolicy = { baseMs: 2_000, maxDelayMs: 5 * 60_000, maxAttempts: 8 };

export interface DispatcherDeps {
  readonly delivery: DeliveryStore;
  /** The senders' rates, shared by every instance on the storage (decision 0059). */
  readonly pace: SenderPace;
  readonly sender: SmsSender;
  readonly projects: ProjectRegistry;
  readonly clock: Clock;
  readonly events: DeliveryEvents;
  readonly logger: Logger;
  readonly participantKey: ParticipantKey;
  /** Our public status webhook; Twilio posts delivery updates there. */
  readonly statusCallbackUrl: string | undefined;
  readonly retry?: RetryPolicy;
  /** How long the loop sleeps when there is nothing to send (a nudge wakes it earlier). */
  readonly idleMs?: number;
  /** How long reserved slots stay good (SLOT_USE_BY_MS). */
  readonly slotUseByMs?: number;
}

export interface DispatchReport {
  sent: number;
  retried: number;
  failed: number;
  suppressed: number;
  /** Some texts were due but their sender had used its rate; try again after this many ms. */
  rateLimitedForMs: number | undefined;
}

/** `runOnce` sends what is due and allowed by the rates now; the loop runs it until `stop`. */
export interface OutboxDispatcher extends PollingLoop {
  runOnce(): Promise<DispatchReport>;
}

export function createOutboxDispatcher(deps: DispatcherDeps): OutboxDispatcher {
  const retry = deps.retry ?? DEFAULT_RETRY;
  const useByMs = deps.slotUseByMs ?? SLOT_USE_BY_MS;
  // Set by stop(): the send in progress finishes, the rest of the round waits for the next start.
  let stopping = false;
  // The configuration is fixed for the process, so texts of unconfigured projects are looked for once.
  let checkedOthers = false;
  let firstProject = 0;
  // How long a send has taken lately: a round reserves no more than it can hand over before its slots run out.
  let sendMs = 0;

  async function runOnce(): Promise<DispatchReport> {
    const report: DispatchReport = { sent: 0, retried: 0, failed: 0, suppressed: 0, rateLimitedForMs: undefined };
    if (!checkedOthers) await failTextsOfOtherProjects(report);
    checkedOthers = true;
    // A different project goes first each round: projects sharing a Messaging Service share its rate.
    const projects = deps.projects.projects;
    for (let i = 0; i < projects.length && !stopping; i += 1) {
      await sendDue(projects[(firstProject + i) % projects.length]!, report);
    }
    firstProject = (firstProject + 1) % Math.max(1, projects.length);
    return report;
  }

  /**
   * Reads as many of the project's due texts as its sender could send at once and one more (to learn whether
   * the rest must wait for the rate), reserves slots for them in one call, and hands over as many as were
   * granted while the slots are good; what was not used goes back. A backlog waiting for the rate is read again
   * only when a slot comes free, and never holds back another project's texts.
   */
  async function sendDue(project: ProjectConfig, report: DispatchReport): Promise<void> {
    const sender = project.sender.messagingServiceSid ?? project.sender.from ?? project.id;
    const rate = senderRate(project.sender.ratePerSecond);
    const texts = await deps.delivery.dueTexts(project.id, deps.clock.now().toISOString(), perRound(rate) + 1);
    if (texts.length === 0 || stopping) return;
    const reservedAt = deps.clock.now();
    const grant = await deps.pace.reserve(sender, rate, texts.length, reservedAt);
    if (grant.granted < texts.length) report.rateLimitedForMs = Math.min(report.rateLimitedForMs ?? Infinity, grant.waitMs);
    const slots: Slots = { useBy: reservedAt.getTime() + useByMs, used: 0 };
    try {
      // Each due text is its phone's oldest, so texts handed over side by side never overtake one another.
      await eachAtMost(sendsAtOnce(rate.perSecond, sendMs), texts.slice(0, grant.granted), async (text) => {
        if (stopping || deps.clock.now().getTime() > slots.useBy) return;
        await deliver(text, project, report, slots);
      });
    } finally {
      // A send that threw after its hand-over still counts as used.
      if (slots.used < grant.granted) await deps.pace.giveBack(sender, rate, grant.granted - slots.used, grant.reservedAt, deps.clock.now());
    }
  }

  /** At most the sender's burst, and no more than the recent send time lets go, sendsAtOnce at a time, before the slots run out. */
  function perRound(rate: SenderRate): number {
    const handedOver = sendsAtOnce(rate.perSecond, sendMs) * Math.floor(useByMs / Math.max(1, sendMs));
    return Math.max(1, Math.min(MAX_TEXTS_PER_ROUND, rate.capacity, handedOver));
  }

  /** Texts queued for a project the configuration no longer has: no sender is known, so none can go. */
  async function failTextsOfOtherProjects(report: DispatchReport): Promise<void> {
    const configured = deps.projects.projects.map((project) => project.id);
    for (const text of await deps.delivery.textsOutside(configured)) await fail(text, new ProjectNotConfigured(text.project).message, null, report);
  }

  /** Claims and sends one text; a text handed to the provider uses one of the round's slots. */
  async function deliver(queued: DueText, project: ProjectConfig, report: DispatchReport, slots: Slots): Promise<void> {
    const claim = await deps.delivery.claim(queued.id);
    if (claim.kind === 'suppressed') report.suppressed += 1;
    if (claim.kind !== 'send') return;
    const text = claim.text;
    const body = bodyOf(text.payload);
    if (body === undefined) return fail(text, 'outbox payload has no text body', null, report);
    const startedAt = deps.clock.now().getTime();
    if (startedAt > slots.useBy) {
      // The slot ran out while the text was claimed: it goes in a later round, on a slot of its own.
      return deps.delivery.release(text.id);
    }
    slots.used += 1;
    const outcome = await deps.sender.send({
      to: text.phone,
      body,
      project: project.id,
      recordId: text.recordId ?? undefined,
      from: project.sender.from,
      messagingServiceSid: project.sender.messagingServiceSid,
      statusCallback: deps.statusCallbackUrl,
    });
    sendMs = (sendMs + (deps.clock.now().getTime() - startedAt)) / 2;
    await record(text, outcome, report);
  }

  /** What a log line says about a text: its outbox row and its participant's key, never the number. */
  function logged(text: DueText): { outboxId: number; participantKey: string } {
    return { outboxId: text.id, participantKey: deps.participantKey(text.phone) };
  }

  async function record(text: DueText, outcome: SendOutcome, report: DispatchReport): Promise<void> {
    const at = deps.clock.now();
    const log = { ...logged(text), outcome: outcome.kind };
    switch (outcome.kind) {
      case 'sent':
        await deps.delivery.markSent(text.id, outcome.sid, outcome.status, at.toISOString());
        report.sent += 1;
        deps.logger.info({ ...log, messageSid: outcome.sid }, 'text sent');
        return;
      case 'opted-out':
        await deps.delivery.markFailed(text.id, 'recipient opted out (Twilio 21610)', outcome.code);
        await deps.events.providerOptOut({ conversationId: text.conversationId, project: text.project, phone: text.phone, at: at.toISOString() });
        report.failed += 1;
        deps.logger.info(log, 'recipient opted out at Twilio; number marked opted out');
        return;
      case 'retry':
        if (text.attempts + 1 >= retry.maxAttempts) return fail(text, `gave up after ${retry.maxAttempts} attempts: ${outcome.reason}`, null, report);
        await deps.delivery.scheduleRetry(text.id, new Date(at.getTime() + backoffMs(text.attempts + 1, retry)).toISOString(), outcome.reason);
        report.retried += 1;
        deps.logger.warn({ ...log, reason: outcome.reason, attempts: text.attempts + 1 }, 'send failed; will retry');
        return;
      case 'rejected':
        return fail(text, outcome.reason, outcome.code ?? null, report);
    }
  }

  async function fail(text: DueText, reason: string, code: number | null, report: DispatchReport): Promise<void> {
    const at = deps.clock.now().toISOString();
    await deps.delivery.markFailed(text.id, reason, code);
    await deps.events.deliveryFailed({ outboxId: text.id, conversationId: text.conversationId, project: text.project, phone: text.phone, reason, at });
    report.failed += 1;
    deps.logger.warn({ ...logged(text), reason }, 'text failed');
  }

  const loop = createPollingLoop({
    name: 'outbox', clock: deps.clock, logger: deps.logger, idleMs: deps.idleMs ?? 250,
    // A round that moved texts goes round again at once: more may be due, and resting the idle period
    // between full rounds held a backlog to a few rounds a second.
    tick: skippingRounds(deps.clock, runOnce, restWhileRateLimited, progressed),
  });
  return {
    runOnce,
    start: () => {
      stopping = false;
      loop.start();
    },
    nudge: loop.nudge,
    stop: async () => {
      stopping = true;
      await loop.stop();
    },
    lastBeat: loop.lastBeat,
  };
}

/** A round's reserved slots for one sender: good until `useBy` (ms, this instance's clock); `used` handed over. */
interface Slots {
  readonly useBy: number;
  used: number;
}

/**
 * When a round could only find rate-limited texts, the next rounds are skipped until a token is due:
 * otherwise every inbound text's nudge re-reads a backlog that cannot be sent yet (the inbound benchmark
 * spent a fifth of the service's CPU doing that). Texts of another sender wait at most that long (under
 * 1 / its rate seconds).
 */
function restWhileRateLimited(report: DispatchReport): number {
  return progressed(report) ? 0 : report.rateLimitedForMs ?? 0;
}

function progressed(report: DispatchReport): boolean {
  return report.sent + report.failed + report.retried + report.suppressed > 0;
}

function bodyOf(payload: unknown): string | undefined {
  const body = (payload as { body?: unknown } | null)?.body;
  return typeof body === 'string' && body !== '' ? body : undefined;
}
