/** Validation min/max (columns I/J): a literal, `today`, `now`, or another field `[field]`. */
import type { Bound } from './model.js';
import type { ValidationType } from './validation-types.js';

export function parseBound(cell: string): Bound | null {
  const text = cell.trim();
  if (text === '') return null;
  const lower = text.toLowerCase();
  if (lower === 'today') return { kind: 'today' };
  if (lower === 'now') return { kind: 'now' };
  const field = /^\[([a-z][a-z0-9_]*)\]$/i.exec(text);
  if (field?.[1]) return { kind: 'field', field: field[1].toLowerCase() };
  return { kind: 'literal', value: text };
}

/**
 * A literal bound as a sortable key in its type's family, or undefined when it cannot be compared
 * (unknown type, or a value not in the storage format — REDCap accepted it, so we only compare what we can).
 */
export function comparableBound(value: string, type: ValidationType | undefined): number | string | undefined {
  const family = type?.family ?? 'number';
  if (family === 'integer' || family === 'number') return numeric(type?.commaDecimal ? value.replace(',', '.') : value);
  if (family === 'date') return /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : undefined;
  if (family === 'datetime' || family === 'datetime_seconds') {
    return /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?$/.test(value) ? value : undefined;
  }
  if (family === 'time') return /^\d{2}:\d{2}(:\d{2})?$/.test(value) ? value : undefined;
  return undefined;
}

export function numeric(text: string): number | undefined {
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text.trim())) return undefined;
  return Number(text);
}

/** True when both bounds are comparable literals and min is above max. */
export function minAboveMax(min: Bound | null, max: Bound | null, type: ValidationType | undefined): boolean {
  if (min?.kind !== 'literal' || max?.kind !== 'literal') return false;
  const low = comparableBound(min.value, type);
  const high = comparableBound(max.value, type);
  return low !== undefined && high !== undefined && typeof low === typeof high && low > high;
}
