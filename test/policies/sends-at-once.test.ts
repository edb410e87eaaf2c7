import { describe, expect, it } from 'vitest';
import { FEWEST_SENDS_AT_ONCE, MOST_SENDS_AT_ONCE, sendsAtOnce } from '../../src/policies/sends-at-once.js';

describe('texts handed to the provider side by side', () => {
  it.each([
    { case: 'nothing sent yet', rate: 1_000, sendMs: 0, atOnce: FEWEST_SENDS_AT_ONCE },
    { case: 'a long code (1/s) on a slow API', rate: 1, sendMs: 300, atOnce: FEWEST_SENDS_AT_ONCE },
    { case: 'a fast local provider at 1,000/s', rate: 1_000, sendMs: 3, atOnce: FEWEST_SENDS_AT_ONCE },
    { case: '1,000/s at 6 ms a send', rate: 1_000, sendMs: 6, atOnce: 12 },
    { case: '1,000/s at 8 ms a send', rate: 1_000, sendMs: 8, atOnce: 16 },
    { case: '100/s at Twilio\'s 200 ms', rate: 100, sendMs: 200, atOnce: MOST_SENDS_AT_ONCE },
    { case: 'a send that hung for a minute', rate: 1_000, sendMs: 60_000, atOnce: MOST_SENDS_AT_ONCE },
  ])('when $case, then $atOnce go at once', ({ rate, sendMs, atOnce }) => {
    expect(sendsAtOnce(rate, sendMs)).toBe(atOnce);
  });
});
