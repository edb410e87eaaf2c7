/**
 * How many SMS segments a body costs. GSM-7 fits 160 septets in one segment and 153 per segment of a
 * concatenated message; one character outside GSM-7 makes the whole body UCS-2 (70 / 67 UTF-16 units).
 */

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** The extension table: each costs an escape plus the character, two septets. */
const GSM_EXTENDED = '^{}\\[~]|€\f';

const BASIC = new Set(GSM_BASIC);
const EXTENDED = new Set(GSM_EXTENDED);

const LIMITS = {
  'GSM-7': { single: 160, multi: 153 },
  'UCS-2': { single: 70, multi: 67 },
} as const;

export type Encoding = keyof typeof LIMITS;

export function countSegments(text: string): { encoding: Encoding; segments: number } {
  const chars = [...text];
  const encoding: Encoding = chars.every((c) => BASIC.has(c) || EXTENDED.has(c)) ? 'GSM-7' : 'UCS-2';
  const costs = chars.map((c) => unitCost(c, encoding));
  return { encoding, segments: segmentsFor(costs, LIMITS[encoding]) };
}

function unitCost(char: string, encoding: Encoding): number {
  if (encoding === 'UCS-2') return char.length; // UTF-16 code units: 2 for a surrogate pair
  return EXTENDED.has(char) ? 2 : 1;
}

/** Packs characters into segments without splitting an escape pair or a surrogate pair. */
function segmentsFor(costs: number[], limit: { single: number; multi: number }): number {
  const total = costs.reduce((sum, c) => sum + c, 0);
  if (total === 0) return 0;
  if (total <= limit.single) return 1;
  let segments = 1;
  let used = 0;
  for (const cost of costs) {
    if (used + cost > limit.multi) {
      segments += 1;
      used = 0;
    }
    used += cost;
  }
  return segments;
}
