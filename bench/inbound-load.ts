/**
 * The inbound benchmark's traffic: participants answering the demo "daily" survey by text, as correctly
 * signed Twilio webhooks. Signatures are computed before the run, so the load generator only copies
 * bytes while the server does the work being measured.
 */
import twilio from 'twilio';

export const BENCH = {
  path: '/webhooks/twilio/sms',
  publicUrl: 'https://sms.bench.example.org',
  accountSid: `AC${'b'.repeat(32)}`,
  authToken: 'bench-twilio-auth-token',
  redcapToken: 'BE4C0000000000000000000000000000',
  /** The REDCap emulator's second project: the generated long instrument (long-survey.ts). */
  longRedcapToken: 'BE4C1000000000000000000000000000',
  ourNumber: '+16505550100',
  dictionary: 'fixtures/dictionaries/sms-demo.csv',
  instrument: 'daily',
} as const;

/** A valid path through the daily survey (mood Good, so no follow-up; no symptoms; exercised 30 minutes). */
export const DAILY_ANSWERS = ['1', '7', '99', '1', '30', '1', '0', '2026-04-01', 'fine'] as const;

export interface SignedRequest {
  readonly body: string;
  readonly signature: string;
}

export function participantPhone(index: number): string {
  return `+1650555${String(1000 + index).padStart(4, '0')}`;
}

/**
 * Signed requests kept in one buffer outside V8's heap. The benchmark prepares over half a million of
 * them; kept as strings they made a heap of about 530 MB in the load generator, whose full garbage
 * collections paused it for hundreds of ms in the middle of measured turns, and the pause counted as
 * the latency of whichever server it was measuring.
 */
export class SignedRequestList {
  private constructor(private readonly bytes: Buffer, private readonly ends: Uint32Array) {}

  /** Packs each request as its signature (fixed length) followed by its body. */
  static of(requests: Iterable<SignedRequest>, count: number): SignedRequestList {
    let bytes = Buffer.allocUnsafe(count * 384);
    const ends = new Uint32Array(count);
    let end = 0;
    let k = 0;
    for (const { signature, body } of requests) {
      if (signature.length !== SIGNATURE_LENGTH) throw new Error(`a Twilio signature has ${SIGNATURE_LENGTH} characters, not ${signature.length}`);
      const size = SIGNATURE_LENGTH + Buffer.byteLength(body);
      if (end + size > bytes.length) bytes = Buffer.concat([bytes, Buffer.allocUnsafe(Math.max(size, bytes.length))]);
      end += bytes.write(signature, end, 'latin1');
      end += bytes.write(body, end, 'utf8');
      ends[k++] = end;
    }
    return new SignedRequestList(bytes.subarray(0, end), ends.subarray(0, k));
  }

  get length(): number {
    return this.ends.length;
  }

  at(k: number): SignedRequest {
    const start = k === 0 ? 0 : this.ends[k - 1]!;
    return {
      signature: this.bytes.toString('latin1', start, start + SIGNATURE_LENGTH),
      body: this.bytes.toString('utf8', start + SIGNATURE_LENGTH, this.ends[k]),
    };
  }
}

/** Base64 of an HMAC-SHA1. */
const SIGNATURE_LENGTH = 28;

/**
 * Request k comes from participant k mod n with their (k div n)-th answer, so one participant's texts are
 * n requests apart and arrive in order; past the end of the survey they text "hello" (no survey waiting).
 */
export function signedRequests(participants: number, count: number, sidPrefix: string, answers: readonly string[] = DAILY_ANSWERS): SignedRequestList {
  return SignedRequestList.of(requestsFor(participants, count, sidPrefix, answers), count);
}

function* requestsFor(participants: number, count: number, sidPrefix: string, answers: readonly string[]): Generator<SignedRequest> {
  const url = BENCH.publicUrl + BENCH.path;
  for (let k = 0; k < count; k += 1) {
    const params = {
      MessageSid: `SM${sidPrefix}${String(k).padStart(32 - sidPrefix.length, '0')}`, AccountSid: BENCH.accountSid,
      From: participantPhone(k % participants), To: BENCH.ourNumber,
      Body: answers[Math.floor(k / participants)] ?? 'hello', NumMedia: '0', SmsStatus: 'received', ApiVersion: '2010-04-01',
    };
    yield { body: new URLSearchParams(params).toString(), signature: twilio.getExpectedTwilioSignature(BENCH.authToken, url, params) };
  }
}
