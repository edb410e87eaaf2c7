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
 * Request k comes from participant k mod n with their (k div n)-th answer, so one participant's texts are
 * n requests apart and arrive in order; past the end of the survey they text "hello" (no survey waiting).
 */
export function signedRequests(participants: number, count: number, sidPrefix: string): SignedRequest[] {
  const url = BENCH.publicUrl + BENCH.path;
  return Array.from({ length: count }, (_, k) => {
    const params = {
      MessageSid: `SM${sidPrefix}${String(k).padStart(32 - sidPrefix.length, '0')}`, AccountSid: BENCH.accountSid,
      From: participantPhone(k % participants), To: BENCH.ourNumber,
      Body: DAILY_ANSWERS[Math.floor(k / participants)] ?? 'hello', NumMedia: '0', SmsStatus: 'received', ApiVersion: '2010-04-01',
    };
    return { body: new URLSearchParams(params).toString(), signature: twilio.getExpectedTwilioSignature(BENCH.authToken, url, params) };
  });
}
