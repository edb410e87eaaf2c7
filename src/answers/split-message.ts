/** Twilio's limit for one message body. */
export const MAX_BODY_CHARS = 1600;

/**
 * Splits a body into ordered parts of at most `maxChars` UTF-16 units, at whitespace where possible
 * (a word longer than a part is cut, never inside a surrogate pair). Joining the parts with single
 * spaces gives back the text up to the whitespace at the cuts.
 */
export function splitMessage(text: string, maxChars: number = MAX_BODY_CHARS): string[] {
  const limit = Math.max(2, Math.floor(maxChars));
  const parts: string[] = [];
  let rest = text.trim();
  while (rest.length > limit) {
    const [head, tail] = splitAtWord(rest, limit);
    parts.push(head);
    rest = tail;
  }
  if (rest !== '') parts.push(rest);
  return parts;
}

/** The longest head of `text` within `limit` that ends at a word, and the rest. */
export function splitAtWord(text: string, limit: number): [head: string, tail: string] {
  const cut = cutPoint(text, limit);
  return [text.slice(0, cut).trimEnd(), text.slice(cut).trimStart()];
}

/** The index to cut at: the last whitespace within the limit, else the limit itself. */
function cutPoint(text: string, limit: number): number {
  const window = text.slice(0, limit + 1);
  const lastSpace = Math.max(window.lastIndexOf(' '), window.lastIndexOf('\n'));
  if (lastSpace > 0) return lastSpace;
  return isHighSurrogate(text.charCodeAt(limit - 1)) ? limit - 1 : limit;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
