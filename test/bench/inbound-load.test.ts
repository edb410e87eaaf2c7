import twilio from 'twilio';
import { describe, expect, test } from 'vitest';
import { BENCH, DAILY_ANSWERS, SignedRequestList, participantPhone, signedRequests } from '../../bench/inbound-load.js';

const SIGNATURE = 'iH+nVPmVHqPU5GvIO+oucjnsgWM=';

describe('the benchmark’s signed requests', () => {
  const participants = 3;
  const list = signedRequests(participants, participants * DAILY_ANSWERS.length + 2, 'x');

  test.each([0, 1, 3, 8, participants * DAILY_ANSWERS.length + 1])('when request %i is read back, then Twilio’s own check accepts its signature for the benchmark’s URL', (k) => {
    const { body, signature } = list.at(k);
    const fields = Object.fromEntries(new URLSearchParams(body));
    expect(twilio.validateRequest(BENCH.authToken, signature, BENCH.publicUrl + BENCH.path, fields)).toBe(true);
    expect(fields.From).toBe(participantPhone(k % participants));
    expect(fields.Body).toBe(DAILY_ANSWERS[Math.floor(k / participants)] ?? 'hello');
  });

  test('when every request is read back, then each MessageSid is its own', () => {
    const sids = Array.from({ length: list.length }, (_, k) => new URLSearchParams(list.at(k).body).get('MessageSid'));
    expect(new Set(sids).size).toBe(list.length);
  });
});

describe('packing requests outside the heap', () => {
  test('when the bodies outgrow the first buffer and hold non-ASCII text, then every request still reads back as it went in', () => {
    const requests = Array.from({ length: 10 }, (_, k) => ({ signature: SIGNATURE, body: `Body=${'é'.repeat(500 + k)}` }));
    const list = SignedRequestList.of(requests, requests.length);
    expect(list.length).toBe(10);
    expect(Array.from({ length: 10 }, (_, k) => list.at(k))).toEqual(requests);
  });

  test('when a signature is not an HMAC-SHA1 in base64, then packing refuses it rather than misread every later request', () => {
    expect(() => SignedRequestList.of([{ signature: 'short', body: 'Body=1' }], 1)).toThrow('a Twilio signature has 28 characters, not 5');
  });
});
