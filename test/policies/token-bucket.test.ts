import { describe, expect, it } from 'vitest';
import { returnedTokens, senderRate, TokenBucket } from '../../src/policies/token-bucket.js';

/** A small deterministic generator, so a failing case can be replayed from its seed. */
function generator(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
}

/** How far the busiest window of `times` (seconds) goes past capacity + rate × its length; at most 0 when it holds. */
function excess(times: readonly number[], rate: number, capacity: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let worst = -Infinity;
  for (let i = 0; i < sorted.length; i += 1) {
    for (let j = i; j < sorted.length; j += 1) worst = Math.max(worst, j - i + 1 - (capacity + rate * (sorted[j]! - sorted[i]!)));
  }
  return worst;
}

describe('a sender rate', () => {
  it.each([
    { rate: 1, capacity: 1 },
    { rate: 0.5, capacity: 1 },
    { rate: 3, capacity: 3 },
    { rate: 2.7, capacity: 2 },
    { rate: 100, capacity: 100 },
  ])('when the rate is $rate a second, then at most $capacity go at once', ({ rate, capacity }) => {
    expect(senderRate(rate)).toEqual({ perSecond: rate, capacity });
  });
});

describe('the token bucket with slots taken and given back (decision 0059)', () => {
  it.each([
    { unused: 2, rate: 4, outForMs: 0, returned: 2 },
    { unused: 2, rate: 4, outForMs: 250, returned: 1 },
    { unused: 2, rate: 4, outForMs: 1_000, returned: 0 },
  ])('when $unused unused slots come back after $outForMs ms at $rate a second, then $returned return', ({ unused, rate, outForMs, returned }) => {
    expect(returnedTokens(unused, rate, outForMs)).toBe(returned);
  });

  it.each(Array.from({ length: 200 }, (_, i) => i + 1))('when slots are taken, some used and the rest given back at random (seed %i), then the used ones never exceed capacity + rate × W', (seed) => {
    const random = generator(seed);
    const { perSecond: rate, capacity } = senderRate(0.5 + random() * 5);
    const bucket = new TokenBucket(rate, 0, capacity);
    const used: number[] = [];
    const out: { at: number; unused: number }[] = [];
    let now = 0;
    for (let step = 0; step < 200; step += 1) {
      now += random() * 600;
      if (random() < 0.6) {
        const granted = bucket.take(1 + Math.floor(random() * 4), now);
        const usedNow = Math.floor(random() * (granted + 1));
        for (let n = 0; n < usedNow; n += 1) used.push(now / 1_000);
        if (granted > usedNow) out.push({ at: now, unused: granted - usedNow });
      } else if (out.length > 0) {
        const [back] = out.splice(Math.floor(random() * out.length), 1);
        bucket.giveBack(back!.unused, back!.at, now);
      }
    }
    expect(excess(used, rate, capacity)).toBeLessThanOrEqual(1e-6);
  });
});
