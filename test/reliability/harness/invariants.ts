/**
 * The invariants every reliability specification checks, as pure functions over what was observed:
 * each returns the violations it found (empty when the invariant holds), so a specification can also
 * show that a broken build is caught (checker-can-fail.test.ts).
 */
import type { Database } from 'better-sqlite3';
import { MACHINE_VERSION, SNAPSHOT_FORMAT, restore } from '../../../src/conversation/index.js';
import { QUESTIONS, type Participant } from './study.js';
import type { TwilioSend } from './twilio-recorder.js';

/** Every inbound webhook that was answered 2xx is in `inbound_messages`. */
export function lostInbound(acknowledged: Iterable<string>, stored: ReadonlySet<string>): string[] {
  return [...acknowledged].filter((sid) => !stored.has(sid)).map((sid) => `acknowledged inbound ${sid} is not stored`);
}

export function storedInboundIds(db: Database): Set<string> {
  const rows = db.prepare('SELECT provider_message_id AS id FROM inbound_messages').all() as { id: string }[];
  return new Set(rows.map((row) => row.id));
}

/** REDCap holds each finished participant's answers and a complete form (written once or more: same values). */
export function recordMismatches(participants: readonly Participant[], valuesOf: (recordId: string) => Record<string, string>): string[] {
  return participants.flatMap((participant) => {
    const stored = valuesOf(participant.recordId);
    const wrong = QUESTIONS.filter((field) => stored[field] !== participant.expected[field]).map((field) => `${field}`);
    if (stored.daily_complete !== '2') wrong.push('daily_complete');
    return wrong.length === 0 ? [] : [`record ${participant.recordId}: ${wrong.join(', ')} not as answered`];
  });
}

/** Every stored conversation restores in the current machine and says the state its status column says. */
export function corruptConversations(db: Database): string[] {
  const rows = db.prepare('SELECT id, status, snapshot, snapshot_format AS format, machine_version AS machine FROM conversations').all() as {
    id: string; status: string; snapshot: string; format: number; machine: number;
  }[];
  return rows.flatMap((row) => {
    try {
      if (row.format !== SNAPSHOT_FORMAT || row.machine !== MACHINE_VERSION) return [`conversation ${row.id}: stale format`];
      const snapshot = JSON.parse(row.snapshot) as { value?: unknown };
      restore(snapshot);
      return snapshot.value === row.status ? [] : [`conversation ${row.id}: status ${row.status} but snapshot ${String(snapshot.value)}`];
    } catch (error) {
      return [`conversation ${row.id}: ${(error as Error).message}`];
    }
  });
}

export interface TextAccount {
  /** Texts the outbox holds as sent. */
  queued: number;
  /** Of those, how many Twilio never accepted. */
  lost: string[];
  /** Accepted sends beyond one per outbox text (at-least-once repeats after a crash or a lost answer). */
  duplicates: number;
  /** Accepted sends no outbox text accounts for. */
  unexplained: string[];
}

/** Matches the outbox's sent texts with what Twilio accepted, by recipient and body. */
export function accountTexts(db: Database, accepted: readonly TwilioSend[]): TextAccount {
  const rows = db.prepare(`SELECT phone, payload FROM outbox WHERE channel = 'sms' AND status = 'sent'`).all() as { phone: string; payload: string }[];
  const want = new Map<string, number>();
  for (const row of rows) {
    const key = `${row.phone} ${(JSON.parse(row.payload) as { body: string }).body}`;
    want.set(key, (want.get(key) ?? 0) + 1);
  }
  const got = new Map<string, number>();
  for (const send of accepted) got.set(`${send.to} ${send.body}`, (got.get(`${send.to} ${send.body}`) ?? 0) + 1);
  const lost: string[] = [];
  let duplicates = 0;
  for (const [key, count] of want) {
    const seen = got.get(key) ?? 0;
    if (seen < count) lost.push(`text to ${key.slice(0, 12)}… sent ${count}× in the outbox, accepted ${seen}×`);
    else duplicates += seen - count;
  }
  const unexplained = [...got.keys()].filter((key) => !want.has(key)).map((key) => `accepted text to ${key.slice(0, 12)}… has no outbox row`);
  return { queued: rows.length, lost, duplicates, unexplained };
}

/** A phone's opted-out stretch, from the STOP's acknowledgement to the START request (ms). */
export interface OptOutInterval {
  readonly phone: string;
  readonly from: number;
  readonly to: number;
}

/** Accepted-or-not, any send that reached Twilio inside an opted-out stretch is a violation. */
export function sendsWhileOptedOut(sends: readonly TwilioSend[], intervals: readonly OptOutInterval[]): string[] {
  return sends.flatMap((send) =>
    intervals.some((i) => i.phone === send.to && send.at >= i.from && send.at < i.to)
      ? [`text to ${send.to.slice(0, 6)}… at ${new Date(send.at).toISOString()} while opted out`]
      : []);
}

/** The server's own probe lines (server-entry.ts): a send attempted while the number was opted out. */
export interface ProbeLine {
  readonly to: string;
  readonly body: string;
  readonly optedOut: boolean;
  readonly at: number;
}

export function probedSendsWhileOptedOut(lines: readonly ProbeLine[]): string[] {
  return lines.filter((line) => line.optedOut).map((line) => `send to ${line.to.slice(0, 6)}… attempted while opted out`);
}

/** Retries that came faster than the policy allows: each gap must be at least `minGapMs` and never shrink. */
export function backoffViolations(attemptTimes: readonly number[], minGapMs: number): string[] {
  const gaps = attemptTimes.slice(1).map((at, i) => at - attemptTimes[i]!);
  return gaps.flatMap((gap, i) => {
    if (gap < minGapMs) return [`attempt ${i + 2} came ${gap} ms after the previous one (< ${minGapMs} ms)`];
    if (i > 0 && gap < gaps[i - 1]!) return [`attempt ${i + 2} came sooner (${gap} ms) than the gap before it (${gaps[i - 1]} ms)`];
    return [];
  });
}

/** Row counts of every table, to show a rejected request changed nothing. */
export function tableCounts(db: Database): Record<string, number> {
  const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as { name: string }[];
  return Object.fromEntries(tables.map(({ name }) => [name, (db.prepare(`SELECT COUNT(*) AS n FROM "${name}"`).get() as { n: number }).n]));
}
