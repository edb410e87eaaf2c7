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
  /**
   * Accepted sends whose outbox text ended suppressed: handed over before the phone's STOP committed, their
   * mark lost with a kill (the at-least-once window), then suppressed by the STOP before the resend. Whether
   * any reached Twilio after the STOP's acknowledgement is `sendsWhileOptedOut`'s to say.
   */
  sentThenSuppressed: number;
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
  const suppressed = new Set((db.prepare(`SELECT phone, payload FROM outbox WHERE channel = 'sms' AND status = 'suppressed'`).all() as { phone: string; payload: string }[])
    .map((row) => `${row.phone} ${(JSON.parse(row.payload) as { body: string }).body}`));
  const unaccounted = [...got.keys()].filter((key) => !want.has(key));
  const unexplained = unaccounted.filter((key) => !suppressed.has(key)).map((key) => `accepted text to ${key.slice(0, 12)}… has no outbox row`);
  return { queued: rows.length, lost, duplicates, unexplained, sentThenSuppressed: unaccounted.length - unexplained.length };
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

/** An instance killed with SIGKILL: its label (the `via` of its sends), when its life began, when it was seen dead. */
export interface InstanceKill {
  readonly instance: string;
  readonly startedAt: number;
  readonly at: number;
}

export interface SendAccount {
  /** Accepted sends whose SID an outbox text holds as sent. */
  marked: number;
  /** Accepted sends no outbox text holds, each a text a killed instance sent but did not mark, sent again after it. */
  repeats: number;
  /** Accepted sends a killed instance did not mark and that were not sent again (the text was suppressed since). */
  unmarkedOnce: number;
  /** Outbox texts marked sent with a SID Twilio never answered. */
  invented: string[];
  /** Accepted sends no outbox text holds and no kill accounts for. */
  unexplained: string[];
  /** The longest time from such a send's receipt to the kill that explains it (ms). */
  windowMs: number;
}

/**
 * At least once, and only in its window: every accepted send is either the one its outbox text was marked
 * sent with (by the SID Twilio answered), or was made by an instance in the life a SIGKILL ended, before
 * the kill — a send the provider received whose markSent never committed. Anything else is a violation.
 */
export function accountSendsAcrossKills(
  accepted: readonly TwilioSend[], markedSids: ReadonlySet<string>, kills: readonly InstanceKill[],
): SendAccount {
  const account: SendAccount = { marked: 0, repeats: 0, unmarkedOnce: 0, invented: [], unexplained: [], windowMs: 0 };
  const answered = new Set(accepted.map((send) => send.sid));
  for (const sid of markedSids) if (!answered.has(sid)) account.invented.push(`an outbox text is marked sent as ${sid}, which Twilio never answered`);
  for (const send of accepted) {
    if (send.sid !== undefined && markedSids.has(send.sid)) {
      account.marked += 1;
      continue;
    }
    const kill = kills.find((k) => k.instance === send.via && send.at >= k.startedAt && send.at <= k.at);
    if (kill === undefined) {
      account.unexplained.push(`text to …${send.to.slice(-4)} accepted at ${new Date(send.at).toISOString()} via ${send.via ?? 'an unknown instance'} `
        + 'was never marked sent, and that instance was not killed before it could mark it');
      continue;
    }
    account.windowMs = Math.max(account.windowMs, kill.at - send.at);
    const sentAgain = accepted.some((other) => other.at >= send.at && other !== send && other.to === send.to && other.body === send.body
      && other.sid !== undefined && markedSids.has(other.sid));
    if (sentAgain) account.repeats += 1;
    else account.unmarkedOnce += 1;
  }
  return account;
}

/** What a sender may send: a token bucket of `ratePerSecond` with `burst` saved up (TokenBucket's capacity). */
export interface RateBound {
  readonly ratePerSecond: number;
  readonly burst: number;
  /** How far apart receive times may drift from send times (the network, the event loops), ms. */
  readonly toleranceMs: number;
}

/** Most texts one sender may send within `windowMs`: the burst plus what the rate refills in the window. */
export function allowedInWindow(bound: RateBound, windowMs: number): number {
  return bound.burst + Math.floor((bound.ratePerSecond * (windowMs + bound.toleranceMs)) / 1000);
}

/**
 * The sender rate, measured where it matters, at the provider: for every sender, every stretch from one
 * received text to a later one holds no more texts than the bound allows in that time. One line per sender
 * that broke it: its worst stretch, and how many stretches were too full.
 */
export function rateViolations(sends: readonly TwilioSend[], bound: RateBound): string[] {
  return [...receiveTimesBySender(sends)].flatMap(([sender, times]) => {
    let worst: { from: number; count: number; allowed: number; ms: number } | undefined;
    let tooFull = 0;
    for (let i = 0; i < times.length; i += 1) {
      let full = false;
      for (let j = i; j < times.length; j += 1) {
        const ms = times[j]! - times[i]!;
        const count = j - i + 1;
        const allowed = allowedInWindow(bound, ms);
        if (count <= allowed) continue;
        full = true;
        if (worst === undefined || count - allowed > worst.count - worst.allowed) worst = { from: times[i]!, count, allowed, ms };
      }
      if (full) tooFull += 1;
    }
    return worst === undefined ? [] : [`sender …${sender.slice(-4)}: ${worst.count} texts arrived within ${worst.ms} ms from `
      + `${new Date(worst.from).toISOString()}, where ${bound.ratePerSecond}/s with a burst of ${bound.burst} allows ${worst.allowed} `
      + `(${bound.toleranceMs} ms of spread allowed); ${tooFull} stretch(es) held too many`];
  });
}

/** The most texts one sender had received within any `windowMs` (for the figures). */
export function busiestWindow(sends: readonly TwilioSend[], windowMs: number): number {
  let most = 0;
  for (const times of receiveTimesBySender(sends).values()) {
    let start = 0;
    for (let end = 0; end < times.length; end += 1) {
      while (times[end]! - times[start]! >= windowMs) start += 1;
      most = Math.max(most, end - start + 1);
    }
  }
  return most;
}

function receiveTimesBySender(sends: readonly TwilioSend[]): Map<string, number[]> {
  const bySender = new Map<string, number[]>();
  for (const send of sends) bySender.set(send.from ?? '', [...(bySender.get(send.from ?? '') ?? []), send.at]);
  for (const times of bySender.values()) times.sort((a, b) => a - b);
  return bySender;
}
