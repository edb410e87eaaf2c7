import { describe, expect, test } from 'vitest';
import { handoffs, pooledHandoffs, sendsPerSecond, type Inbound, type Outbound } from '../../bench/handoff.js';
import { joined, percentiles } from '../../bench/paced-load.js';

const A = '+16505551000';
const B = '+16505551001';
const inbound = (phone: string, sentAt: number): Inbound => ({ phone, sentAt });
const outbound = (phone: string, receivedAt: number): Outbound => ({ phone, receivedAt });

describe('the handoff from an inbound webhook to the next text sent', () => {
  test('when each phone has one text in flight at a time, then each text pairs with the next send to its phone', () => {
    const result = handoffs(
      [inbound(A, 0), inbound(B, 1), inbound(A, 1000), inbound(B, 1001)],
      // The sends arrive interleaved across phones, and not in the order the texts came in.
      [outbound(B, 30), outbound(A, 12), outbound(A, 1040), outbound(B, 1003)],
    );
    expect([...result.latencies].sort((x, y) => x - y)).toEqual([2, 12, 29, 40]);
    expect(result.unpaired).toBe(0);
    expect(result.overlapping).toBe(0);
    // Four sends from 12 ms to 1040 ms: three more after the first in 1,028 ms.
    expect(sendsPerSecond(result)).toBeCloseTo(3000 / 1028, 9);
  });

  test("when a reply is still on its way as the participant's next text is sent, then the texts pair in order and the overlap is counted", () => {
    const result = handoffs([inbound(A, 0), inbound(A, 100)], [outbound(A, 150), outbound(A, 160)]);
    expect([...result.latencies]).toEqual([150, 60]);
    expect(result.overlapping).toBe(1);
  });

  test.each([
    { case: 'a text was not answered', sent: [inbound(A, 0), inbound(A, 10)], received: [outbound(A, 5)] },
    { case: 'a text was answered twice', sent: [inbound(A, 0)], received: [outbound(A, 5), outbound(A, 6)] },
  ])("when $case, then that phone's texts are left out and counted, the others still pair", ({ sent, received }) => {
    const result = handoffs([...sent, inbound(B, 0)], [...received, outbound(B, 7)]);
    expect([...result.latencies]).toEqual([7]);
    expect(result.unpaired).toBe(sent.length);
  });

  test('when turns are pooled, then their latencies and counts add up, and the pace counts the time within turns only', () => {
    const first = handoffs([inbound(A, 0), inbound(B, 0)], [outbound(A, 3), outbound(B, 103)]);
    const second = handoffs([inbound(A, 5000), inbound(B, 5000)], [outbound(A, 5005), outbound(A, 5006)]);
    const all = pooledHandoffs([first, second]);
    expect([...all.latencies]).toEqual([3, 103]);
    expect(all.unpaired).toBe(2);
    // Two sends 100 ms apart, then two 1 ms apart: two gaps in 101 ms, whatever lay between the turns.
    expect(sendsPerSecond(all)).toBeCloseTo(2000 / 101, 9);
  });

  test('when the sender handed over fewer than two texts, then its pace is 0, not a division by zero', () => {
    expect(sendsPerSecond(handoffs([inbound(A, 0)], [outbound(A, 3)]))).toBe(0);
  });
});

describe('percentiles and joined arrays', () => {
  test('when there are 100 latencies 1..100, then the median is the 51st and the 99th percentile the 100th (nearest rank)', () => {
    const latencies = Float64Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentiles(latencies)).toEqual({ p50: 51, p99: 100 });
  });

  test('when there is no latency, then both percentiles are 0', () => {
    expect(percentiles(new Float64Array(0))).toEqual({ p50: 0, p99: 0 });
  });

  test('when arrays are joined, then they follow one another in order', () => {
    expect([...joined([Float64Array.of(1, 2), new Float64Array(0), Float64Array.of(3)])]).toEqual([1, 2, 3]);
  });
});
