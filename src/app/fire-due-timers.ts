import type { TimerRow } from '../adapters/storage/index.js';
import type { ConversationDeps } from './deps.js';
import type { PhoneScope } from './phone.js';
import { continueWithWaiting } from './phone.js';
import { stepStored } from './run-step.js';

/**
 * Delivers every timer due at the clock's now, oldest first, each in its own transaction. A timer set
 * for an older revision reaches the machine, which ignores it: a stale reminder changes nothing.
 */
export function fireDueTimers(deps: ConversationDeps): number {
  const now = deps.clock.now();
  const due = deps.store.dueTimers(now.toISOString());
  for (const timer of due) fireTimer(deps, timer, now);
  return due.length;
}

function fireTimer(deps: ConversationDeps, timer: TimerRow, now: Date): void {
  deps.store.transaction(() => {
    // Re-read inside the transaction: an inbound text may have cancelled the timer meanwhile.
    const stillPending = deps.store.pendingTimers(timer.conversationId).some((pending) => pending.id === timer.id);
    const row = deps.store.conversation(timer.conversationId);
    if (!stillPending || row === undefined) return;
    deps.store.markTimerFired(timer.id);
    if (!row.open) return;
    const result = stepStored({ deps, now }, row, { type: 'timer', kind: timer.kind, revision: timer.revision });
    if (result !== null && !result.open) {
      const scope: PhoneScope = { deps, now, project: row.project, phone: row.phone };
      continueWithWaiting(scope, false);
    }
  });
}
