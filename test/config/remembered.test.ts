import { describe, expect, it } from 'vitest';
import { remembered } from '../../src/config/remembered.js';

describe('remembered results', () => {
  it('when an input comes again, then the result is the same and is not computed again', () => {
    const computed: string[] = [];
    const upper = remembered((input) => (computed.push(input), input.toUpperCase()), 10);
    expect(['a', 'b', 'a', 'a', 'b'].map(upper)).toEqual(['A', 'B', 'A', 'A', 'B']);
    expect(computed).toEqual(['a', 'b']);
  });

  it('when more inputs come than the limit, then it starts over and still answers right', () => {
    const computed: string[] = [];
    const upper = remembered((input) => (computed.push(input), input.toUpperCase()), 2);
    expect(['a', 'b', 'c', 'a', 'c'].map(upper)).toEqual(['A', 'B', 'C', 'A', 'C']);
    // 'c' found the memory full and cleared it, so 'a' was computed again; 'c' was kept.
    expect(computed).toEqual(['a', 'b', 'c', 'a']);
  });
});
