import { describe, expect, it } from 'vitest';
import { eachAtMost } from '../../src/loops/each-at-most.js';

/** Work that records how many run at once, finishing in the order the delays give. */
function tracked(delays: Record<number, number>) {
  const state = { running: 0, most: 0, done: [] as number[] };
  const work = async (item: number) => {
    state.running += 1;
    state.most = Math.max(state.most, state.running);
    await new Promise((resolve) => setTimeout(resolve, delays[item] ?? 1));
    state.running -= 1;
    state.done.push(item);
  };
  return { state, work };
}

describe('eachAtMost', () => {
  it.each([
    [1, 5, 1],
    [3, 5, 3],
    [8, 5, 5],
    [8, 0, 0],
  ])('when %i may run at once over %i items, then every item runs once and at most %i run together', async (limit, count, most) => {
    const items = Array.from({ length: count }, (_, i) => i);
    const { state, work } = tracked({});
    await eachAtMost(limit, items, work);
    expect([...state.done].sort((a, b) => a - b)).toEqual(items);
    expect(state.most).toBe(most);
  });

  it('when one item is slow, then the others go on past it and the call settles after the slow one', async () => {
    const { state, work } = tracked({ 0: 40 });
    await eachAtMost(2, [0, 1, 2, 3], work);
    expect(state.done).toEqual([1, 2, 3, 0]);
  });

  it('when an item fails, then the rest still run and the first failure is thrown once all have finished', async () => {
    const { state, work } = tracked({});
    const failing = async (item: number) => {
      await work(item);
      if (item === 1 || item === 2) throw new Error(`item ${item} failed`);
    };
    await expect(eachAtMost(2, [0, 1, 2, 3, 4], failing)).rejects.toThrow('item 1 failed');
    expect([...state.done].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(state.running).toBe(0);
  });
});
