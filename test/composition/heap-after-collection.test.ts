import { afterEach, describe, expect, it, vi } from 'vitest';
import { heapAfterCollection } from '../../src/composition/engine-thread/gc-tuning.js';

const withGc = globalThis as { gc?: (() => void) | undefined };
const original = withGc.gc;

afterEach(() => {
  withGc.gc = original;
});

describe("the engine thread's heap after a full collection", () => {
  it('when node runs without --expose-gc, then there is no reading (a reading with garbage in it would mislead)', () => {
    withGc.gc = undefined;
    expect(heapAfterCollection()).toBeUndefined();
  });

  it('when node runs with --expose-gc, then the heap is collected first and its bytes in use are read', () => {
    const collect = vi.fn();
    withGc.gc = collect;
    const bytes = heapAfterCollection();
    expect(collect).toHaveBeenCalledOnce();
    expect(bytes).toBeGreaterThan(0);
  });
});
