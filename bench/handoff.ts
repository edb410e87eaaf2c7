/**
 * The handoff to the sender (issue 28): for each inbound text of a paced turn, the time from when its
 * webhook was due (paced-load.ts) until the fake Twilio API received the service's next text to that
 * phone. Both clocks are epoch milliseconds read through `performance` in two processes of one machine.
 *
 * Each answer is replied to by exactly one text, and one participant's texts are stepped in order, so a
 * phone's k-th inbound text of the turn is answered by its k-th text sent in the turn, even when a reply
 * is still on its way as the participant's next text is sent. A phone whose counts differ (a text that
 * was not answered, or answered twice) cannot be paired that way and is left out and counted.
 */
import { joined } from './paced-load.js';

export interface Inbound {
  readonly phone: string;
  /** When the webhook was due to be sent, epoch ms. */
  readonly sentAt: number;
}

export interface Outbound {
  readonly phone: string;
  /** When the fake Twilio API had received the send, epoch ms. */
  readonly receivedAt: number;
}

export interface Handoffs {
  /** One per paired inbound text, ms. */
  readonly latencies: Float64Array;
  /** Inbound texts from phones whose inbound and outbound counts differ, left out. */
  readonly unpaired: number;
  /** Paired texts whose phone's next inbound text was sent before their reply arrived. */
  readonly overlapping: number;
  /** The sender's pace: the ms from the first text it handed over to the last, and the texts after the first. */
  readonly sendingMs: number;
  readonly sendsAfterFirst: number;
}

/** Texts handed to the sender per second while it was sending (0 for fewer than two). */
export function sendsPerSecond(handoff: Handoffs): number {
  return handoff.sendingMs > 0 ? (handoff.sendsAfterFirst * 1000) / handoff.sendingMs : 0;
}

export function handoffs(inbound: readonly Inbound[], outbound: readonly Outbound[]): Handoffs {
  const byPhone = new Map<string, { sent: number[]; received: number[] }>();
  const of = (phone: string) => {
    let texts = byPhone.get(phone);
    if (texts === undefined) byPhone.set(phone, (texts = { sent: [], received: [] }));
    return texts;
  };
  for (const text of inbound) of(text.phone).sent.push(text.sentAt);
  for (const text of outbound) of(text.phone).received.push(text.receivedAt);
  const latencies: number[] = [];
  let unpaired = 0;
  let overlapping = 0;
  for (const { sent, received } of byPhone.values()) {
    if (sent.length !== received.length) {
      unpaired += sent.length;
      continue;
    }
    sent.sort((a, b) => a - b);
    received.sort((a, b) => a - b);
    for (const [k, sentAt] of sent.entries()) {
      latencies.push(received[k]! - sentAt);
      if (k + 1 < sent.length && sent[k + 1]! < received[k]!) overlapping += 1;
    }
  }
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const text of outbound) {
    first = Math.min(first, text.receivedAt);
    last = Math.max(last, text.receivedAt);
  }
  return { latencies: Float64Array.from(latencies), unpaired, overlapping, sendingMs: outbound.length < 2 ? 0 : last - first, sendsAfterFirst: Math.max(0, outbound.length - 1) };
}

/** Several turns' handoffs as one (the sender's pace over the turns' sending time added up). */
export function pooledHandoffs(turns: readonly Handoffs[]): Handoffs {
  const latencies = joined(turns.map((turn) => turn.latencies));
  const sum = (count: (turn: Handoffs) => number) => turns.reduce((total, turn) => total + count(turn), 0);
  return {
    latencies, unpaired: sum((turn) => turn.unpaired), overlapping: sum((turn) => turn.overlapping),
    sendingMs: sum((turn) => turn.sendingMs), sendsAfterFirst: sum((turn) => turn.sendsAfterFirst),
  };
}
