/**
 * What must never appear in a log line: a participant's number (in any common spelling), anything a
 * participant wrote or was sent, and any secret the service holds.
 */
import { expect } from 'vitest';
import { ACCOUNT_SID, INVALID_SLEEP, type Participant } from './study.js';

/** Texts the service sends, by their distinctive words. */
const SENT_TEXT = ['How is your mood', 'Hours of sleep', 'Did you exercise', 'Anything else to tell', 'invited to answer'];

export function sensitiveStrings(participants: readonly Participant[], secrets: readonly string[]): string[] {
  const numbers = participants.flatMap((p) => [p.phone, p.phone.slice(2), `%2B${p.phone.slice(1)}`]);
  const answers = participants.flatMap((p) => p.replies.filter((reply) => reply.length >= 6));
  const basic = secrets.map((secret) => Buffer.from(`${ACCOUNT_SID}:${secret}`).toString('base64'));
  return [...numbers, ...answers, INVALID_SLEEP, ...SENT_TEXT, ...secrets, ...basic];
}

/** Each sensitive string found, with the number of lines it appears in. */
export function privacyLeaks(lines: readonly string[], needles: readonly string[]): string[] {
  return needles.flatMap((needle) => {
    const count = lines.filter((line) => line.includes(needle)).length;
    return count === 0 ? [] : [`"${needle.slice(0, 4)}…" appears in ${count} log line(s)`];
  });
}

export function assertLogsArePrivate(lines: readonly string[], participants: readonly Participant[], secrets: readonly string[]): void {
  expect(lines.length).toBeGreaterThan(0);
  expect(privacyLeaks(lines, sensitiveStrings(participants, secrets))).toEqual([]);
}
