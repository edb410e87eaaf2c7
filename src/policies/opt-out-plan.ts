/**
 * The pure half of the opt-out sync: the queued opt-out and opt-in rows of each phone (migration 0003
 * queues one per change) become one change towards REDCap. The newest row decides, so STOP, START,
 * STOP sets the field once, with the time of the last STOP.
 */
import type { PendingRedcapRow } from '../ports/storage/redcap-sync-store.js';

export interface OptOutChange {
  project: string;
  /** E.164. */
  phone: string;
  /** The opt-out time (ISO) to record, or null to clear it (START). */
  optedOutAt: string | null;
  outboxIds: number[];
  attempts: number;
}

export function planOptOutChanges(pending: readonly PendingRedcapRow[], now: string): OptOutChange[] {
  const groups = new Map<string, PendingRedcapRow[]>();
  for (const row of pending) {
    if ((row.kind !== 'opt-out' && row.kind !== 'opt-in') || row.phone === null) continue;
    const key = JSON.stringify([row.project, row.phone]);
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups.values()]
    .filter((rows) => rows.every((row) => row.nextAttemptAt <= now))
    .map((rows) => {
      const last = rows[rows.length - 1]!;
      const at = (last.payload as { at?: unknown } | null)?.at;
      return {
        project: last.project,
        phone: last.phone ?? '',
        optedOutAt: last.kind === 'opt-out' && typeof at === 'string' ? at : null,
        outboxIds: rows.map((row) => row.id),
        attempts: Math.max(...rows.map((row) => row.attempts)),
      };
    });
}
