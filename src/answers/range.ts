import type { Bound, Field } from '../dictionary/model.js';
import type { FormatContext, TextFormat } from './formats/index.js';
import type { RecordData } from './types.js';

export type RangeVerdict =
  | { inside: true }
  | { inside: false; key: string; params: Record<string, string> };

interface ResolvedBound { stored: string; rank: number }

/**
 * Compares a stored value with the field's min/max, resolved now: literals, `today`, `now`, or another
 * field's value in the record. Values are compared as numbers or instants, never as strings. A bound
 * that cannot be read (blank field, Excel-mangled literal) is no bound at all.
 */
export function checkRange(
  stored: string, field: Field, format: TextFormat, hard: boolean, record: RecordData, ctx: FormatContext,
): RangeVerdict {
  const rank = format.rank?.(stored);
  if (rank === undefined) return { inside: true };
  const min = resolveBound(field.min, format, record, ctx);
  const max = resolveBound(field.max, format, record, ctx);
  const below = min !== undefined && rank < min.rank;
  const above = max !== undefined && rank > max.rank;
  if (!below && !above) return { inside: true };
  const which = min !== undefined && max !== undefined ? 'both' : below ? 'min' : 'max';
  const params: Record<string, string> = { value: format.show(stored) };
  if (min !== undefined) params['min'] = format.show(min.stored);
  if (max !== undefined) params['max'] = format.show(max.stored);
  return { inside: false, key: `range.${hard ? 'hard' : 'soft'}.${which}`, params };
}

function resolveBound(bound: Bound | null, format: TextFormat, record: RecordData, ctx: FormatContext): ResolvedBound | undefined {
  const raw = boundText(bound, format, record, ctx);
  if (raw === undefined || raw.trim() === '') return undefined;
  const read = format.read(raw, ctx);
  if (!read.ok) return undefined;
  const rank = format.rank?.(read.value);
  return rank === undefined ? undefined : { stored: read.value, rank };
}

function boundText(bound: Bound | null, format: TextFormat, record: RecordData, ctx: FormatContext): string | undefined {
  if (bound === null) return undefined;
  switch (bound.kind) {
    case 'literal': return bound.value;
    case 'field': return record[bound.field];
    default: return format.clock?.(bound.kind, ctx);
  }
}
