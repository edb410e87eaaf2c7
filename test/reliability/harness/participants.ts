/**
 * Simulated participants for the crash specification. Each one answers a question only once Twilio
 * has received the text asking it, and re-sends a webhook (same MessageSid, as Twilio does) until the
 * server answers 2xx — connection refused or reset while the server is down counts as "not yet".
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { signedParams, inboundParams, SMS_WEBHOOK } from './world.js';
import { INVALID_SLEEP, QUESTIONS, questionIn, type Participant } from './study.js';
import type { OptOutInterval } from './invariants.js';
import type { TwilioSend } from './twilio-recorder.js';

export interface Conversation {
  /** MessageSids the server acknowledged with a 2xx. */
  readonly acknowledged: string[];
  /** What the participant said and had acknowledged, in order. */
  readonly said: string[];
  /** Webhook deliveries, retries included. */
  posts: number;
  readonly optOuts: OptOutInterval[];
  finished: boolean;
}

export interface Run {
  /** Asked again for every delivery: a load balancer may send a retried webhook to another instance. */
  readonly baseUrl: () => string;
  readonly accepted: () => readonly TwilioSend[];
  readonly deadline: number;
}

let sequence = 0;

/** Posts one signed webhook until acknowledged; returns the time of the acknowledgement. */
export async function deliver(run: Run, conversation: Conversation, phone: string, body: string): Promise<number> {
  const sid = `SMcrash${process.pid}${String(++sequence).padStart(18, '0')}`;
  const params = inboundParams(sid, phone, body);
  const signature = signedParams(params);
  while (Date.now() < run.deadline) {
    conversation.posts += 1;
    try {
      const response = await fetch(`${run.baseUrl()}${SMS_WEBHOOK}`, {
        method: 'POST', body: new URLSearchParams(params), signal: AbortSignal.timeout(3_000),
        headers: { 'X-Twilio-Signature': signature, 'Content-Type': 'application/x-www-form-urlencoded' },
      });
      await response.text();
      if (response.ok) {
        conversation.acknowledged.push(sid);
        conversation.said.push(body);
        return Date.now();
      }
    } catch {
      // refused, reset or timed out: the server is down or restarting
    }
    await sleep(30 + Math.random() * 70);
  }
  throw new Error(`a webhook was not acknowledged before the deadline`);
}

async function waitForText(run: Run, phone: string, matches: (body: string) => boolean, what: string): Promise<void> {
  while (Date.now() < run.deadline) {
    if (run.accepted().some((send) => send.to === phone && matches(send.body))) return;
    await sleep(20);
  }
  throw new Error(`participant …${phone.slice(-4)} never received ${what}`);
}

/** One participant's whole survey: answer each question once asked, opt out and back in if planned. */
export async function takeSurvey(run: Run, participant: Participant): Promise<Conversation> {
  const conversation: Conversation = { acknowledged: [], said: [], posts: 0, optOuts: [], finished: false };
  const { phone } = participant;
  for (let question = 0; question < QUESTIONS.length; question += 1) {
    await waitForText(run, phone, (body) => questionIn(body) === question, `Q${question + 1}`);
    await sleep(Math.random() * 40);
    if (participant.invalidAt === question) await deliver(run, conversation, phone, INVALID_SLEEP);
    await deliver(run, conversation, phone, participant.replies[question]!);
    if (participant.stopAfter === question) {
      const from = await deliver(run, conversation, phone, 'STOP');
      await sleep(100 + Math.random() * 200);
      // The stretch ends when START is first posted: texts after that are allowed again.
      const to = Date.now();
      conversation.optOuts.push({ phone, from, to });
      await deliver(run, conversation, phone, 'START');
    }
  }
  await waitForText(run, phone, (body) => /thank you/i.test(body), 'the thank-you text');
  conversation.finished = true;
  return conversation;
}
