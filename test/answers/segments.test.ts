import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { countSegments, splitMessage } from '../../src/answers/index.js';

describe('countSegments', () => {
  it.each([
    ['', 'GSM-7', 0],
    ['Hello', 'GSM-7', 1],
    ['a'.repeat(160), 'GSM-7', 1],
    ['a'.repeat(161), 'GSM-7', 2],
    ['a'.repeat(306), 'GSM-7', 2],
    ['a'.repeat(307), 'GSM-7', 3],
    ['€'.repeat(80), 'GSM-7', 1],
    ['€'.repeat(81), 'GSM-7', 2],
    ['{}'.repeat(40) + 'a', 'GSM-7', 2],
    ['é ñ ü à Ç £ ¥ §', 'GSM-7', 1],
    ['✓', 'UCS-2', 1],
    ['a'.repeat(69) + '✓', 'UCS-2', 1],
    ['a'.repeat(70) + '✓', 'UCS-2', 2],
    ['😀'.repeat(35), 'UCS-2', 1],
    ['😀'.repeat(36), 'UCS-2', 2],
    ['a' + '😀'.repeat(33), 'UCS-2', 1],
    ['a' + '😀'.repeat(34), 'UCS-2', 1],
    ['a' + '😀'.repeat(35), 'UCS-2', 2],
    ['ç'.repeat(10), 'UCS-2', 1],
  ])('when the body is %j, then it is %s in %i segment(s)', (text, encoding, segments) => {
    expect(countSegments(text)).toEqual({ encoding, segments });
  });

  it('when a surrogate pair would straddle a segment boundary, then it moves to the next segment', () => {
    // 134 units would fill two 67-unit segments exactly, but the pair cannot start at unit 67.
    expect(countSegments('a'.repeat(66) + '😀' + 'b'.repeat(65)).segments).toBe(2);
    expect(countSegments('a'.repeat(66) + '😀' + 'b'.repeat(66)).segments).toBe(3);
  });
});

describe('splitMessage', () => {
  it.each([
    ['short text', 1600, ['short text']],
    ['one two three four', 9, ['one two', 'three', 'four']],
    ['abcdefghij', 4, ['abcd', 'efgh', 'ij']],
    ['  padded  ', 1600, ['padded']],
    ['', 1600, []],
    ['line one\nline two', 10, ['line one', 'line two']],
  ])('when %j is split at %i, then the parts are %j', (text, max, parts) => {
    expect(splitMessage(text, max)).toEqual(parts);
  });

  it('when a cut would fall inside a surrogate pair, then the pair stays whole', () => {
    expect(splitMessage('ab😀cd', 3)).toEqual(['ab', '😀c', 'd']);
  });

  test.prop([fc.string({ unit: 'grapheme', maxLength: 400 }), fc.integer({ min: 2, max: 200 })])(
    'when any text is split, then every part fits and no word is lost',
    (text, max) => {
      const parts = splitMessage(text, max);
      expect(parts.every((p) => p.length <= max && p !== '')).toBe(true);
      expect(parts.join('').replace(/\s+/g, '')).toBe(text.replace(/\s+/g, ''));
    },
  );
});
