import type { TimerRow } from '../ports/storage/rows.js';
import type { ConversationDeps } from './conversation-deps.js';
import type { PhoneScope } from './phone-conversations.js';
import { continueWithWaiting } from './phone-conversations.js';
import { ProjectNotConfigured } from './project-not-configured.js';
import { stepStored } from './step-conversation.js';

/** A due timer that could not be delivered; the other due timers were. */
export interface TimerFailure {
  timerId: number;
  conversationId: string;
  reason: string;
  error: unknown;
}

/**
 * Delivers every timer due at the clock's now, oldest first, each in its own transaction. A timer set
 * for an older revision reaches the machine, which ignores it: a stale reminder changes nothing.
 *
 * One timer that cannot be delivered never holds back the others: each failure goes to `onFailure`, and
 * without one the first failure is thrown once every other due timer has fired. A timer of a project the
 * configuration no longer has can never fire, so its conversation's timers are cancelled; any other
 * failure leaves the timer pending, to be tried again.
 */
export async function fireDueTimers(deps: ConversationDeps, onFailure?: (failure: TimerFailure) => void): Promise<number> {
  const now = deps.clock.now();
  const due = await deps.store.dueTimers(now.toISOString());
  const failures: TimerFailure[] = [];
  for (const timer of due) {
    try {
      await fireTimer(deps, timer, now);
    } catch (error) {
      if (error instanceof ProjectNotConfigured) await deps.store.cancelTimers(timer.conversationId);
      const failure = { timerId: timer.id, conversationId: timer.conversationId, reason: error instanceof Error ? error.message : String(error), error };
      if (onFailure === undefined) failures.push(failure);
      else onFailure(failure);
    }
  }
  if (failures.length > 0) throw failures[0]!.error;
  return due.length;
}

function fireTimer(deps: ConversationDeps, timer: TimerRow, now: Date): Promise<void> {
  return deps.store.transaction(async (tx) => {
    // Re-read inside the transaction: an inbound text may have cancelled the timer meanwhile.
    const stillPending = (await tx.pendingTimers(timer.conversationId)).some((pending) => pending.id === timer.id);
    const row = await tx.conversation(timer.conversationId);
    if (!stillPending || row === undefined) return;
    await tx.markTimerFired(timer.id);
    if (!row.open) return;
    const result = await stepStored({ deps, tx, now }, row, { type: 'timer', kind: timer.kind, revision: timer.revision });
    if (result !== null && !result.open) {
      const scope: PhoneScope = { deps, tx, now, project: row.project, phone: row.phone };
      await continueWithWaiting(scope, false);
    }
  });
}
