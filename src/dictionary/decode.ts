/** Bytes to text: a dictionary is UTF-8 (REDCap writes it so); anything else is reported, never guessed. */

const STRICT = new TextDecoder('utf-8', { fatal: true });
const LENIENT = new TextDecoder('utf-8');

/** Marks where the first invalid byte was, in a lossy decoding used only to point at the bad cell. */
export const INVALID_MARK = '\u0000INVALID-BYTE\u0000';

export type Decoded =
  | { ok: true; text: string }
  | { ok: false; offset: number; line: number; marked: string };

export function decodeDictionary(input: Uint8Array | string): Decoded {
  if (typeof input === 'string') return { ok: true, text: stripBom(input) };
  try {
    return { ok: true, text: stripBom(STRICT.decode(input)) };
  } catch {
    const offset = firstInvalidByte(input);
    const before = LENIENT.decode(input.subarray(0, offset));
    const marked = stripBom(before + INVALID_MARK + LENIENT.decode(input.subarray(offset + 1)));
    return { ok: false, offset, line: before.split('\n').length, marked };
  }
}

const stripBom = (text: string): string => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidByte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const length = sequenceLength(bytes, i);
    if (length === 0) return i;
    i += length;
  }
  return bytes.length;
}

function sequenceLength(bytes: Uint8Array, i: number): number {
  const lead = bytes[i] ?? 0;
  if (lead < 0x80) return 1;
  const length = lead >= 0xc2 && lead < 0xe0 ? 2 : lead >= 0xe0 && lead < 0xf0 ? 3 : lead >= 0xf0 && lead < 0xf5 ? 4 : 0;
  if (length === 0 || i + length > bytes.length) return 0;
  try {
    STRICT.decode(bytes.subarray(i, i + length));
    return length;
  } catch {
    return 0;
  }
}
