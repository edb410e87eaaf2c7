import { describe, expect, it } from 'vitest';
import { htmlToText } from '../../src/answers/index.js';

describe('htmlToText', () => {
  it.each([
    ['plain', 'plain'],
    ['one<br>two<br/>three<BR />four', 'one\ntwo\nthree\nfour'],
    ['<p>First</p><p>Second</p>', 'First\nSecond'],
    ['<div class="rich-text-field-label"><p>How are <b>you</b>?</p></div>', 'How are you?'],
    ['See <a href="https://example.org/x">the guide</a>.', 'See the guide (https://example.org/x).'],
    ['<a href="https://example.org">https://example.org</a>', 'https://example.org'],
    ["<a target='_blank' href='https://e.org/?a=1&amp;b=2'></a>", 'https://e.org/?a=1&b=2'],
    ['Fish &amp; chips &lt;3 &quot;yum&quot; &#39;ok&#39; &#x2713; &nbsp;end', 'Fish & chips <3 "yum" \'ok\' ✓ end'],
    ['<ul><li>a</li><li>b</li></ul>', '- a\n- b'],
    ['a &unknown; b', 'a &unknown; b'],
    ['x <!-- note --> y', 'x y'],
    ['5 < 6 and 7 > 3', '5 < 6 and 7 > 3'],
  ])('when the label is %j, then the text is %j', (html, text) => {
    expect(htmlToText(html)).toBe(text);
  });
});
