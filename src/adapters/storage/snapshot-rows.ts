import type { ContextChanges } from '../../conversation/index.js';
import type { RecordData } from '../../logic/index.js';

/**
 * A conversation's snapshot as both backends store it (decision 0069): the record's values and the
 * `answered` list, the two parts that grow with every answer, are rows of their own
 * (`conversation_answers`, `conversation_answered`); the snapshot's text keeps everything else, with
 * `"record":"rows"` and `"answered":<its length>` in their places. A save then writes what the step
 * changed and a text whose size does not depend on the answers given (issue 28).
 */

/** What the stored text holds in the record's place. */
export const RECORD_IN_ROWS = 'rows';

interface SnapshotLike {
  context: { record?: unknown; answered?: unknown };
}

/** The snapshot's text as stored, and the parts stored as rows (undefined: the snapshot has none). */
export interface SplitSnapshot {
  text: string;
  record: RecordData | undefined;
  answered: readonly string[] | undefined;
}

/** The snapshot, split as stored: a context's record object and answered list go to rows. */
export function splitSnapshot(snapshot: unknown): SplitSnapshot {
  const context = contextOf(snapshot);
  const record = isObject(context?.record) ? (context.record as RecordData) : undefined;
  const answered = Array.isArray(context?.answered) ? (context.answered as string[]) : undefined;
  if (context === undefined || (record === undefined && answered === undefined)) {
    return { text: JSON.stringify(snapshot), record: undefined, answered: undefined };
  }
  // Spreads keep each key where it was: the text has the snapshot's own key order.
  const stored = {
    ...(snapshot as SnapshotLike),
    context: {
      ...context,
      ...(record === undefined ? {} : { record: RECORD_IN_ROWS }),
      ...(answered === undefined ? {} : { answered: answered.length }),
    },
  };
  return { text: JSON.stringify(stored), record, answered };
}

/** The rows a save writes. */
export interface RowWrites {
  /** Every row of the conversation is replaced (an insert, or a save that does not say what it changed). */
  whole: boolean;
  /** Record values to insert or update, in the record's order. */
  answers: [field: string, value: string][];
  /** `answered` rows from this position on are replaced by `answered`; null: left alone. */
  answeredFrom: number | null;
  answered: readonly string[];
}

/**
 * What a save writes of the rows: the values the step put in the record and the tail of `answered` it
 * rewrote, read from the snapshot itself (costs the changes, not the record); all of them when the caller
 * does not say what changed.
 */
export function rowWrites(split: SplitSnapshot, changes: ContextChanges | undefined): RowWrites {
  const record = split.record ?? {};
  const answered = split.answered ?? [];
  if (changes !== undefined) {
    const answers: [string, string][] = [];
    for (const field in changes.record) {
      const value = record[field];
      if (value === undefined) return rowWrites(split, undefined);
      answers.push([field, value]);
    }
    const from = changes.answered === null ? null : Math.min(changes.answered, answered.length);
    return { whole: false, answers, answeredFrom: from, answered: from === null ? [] : answered.slice(from) };
  }
  return { whole: true, answers: Object.entries(record), answeredFrom: 0, answered };
}

/** The rows of one conversation, read only when its stored text says they exist. */
export interface SnapshotRows {
  record(): RecordData;
  answered(): string[];
}

export class StoredAnswersMismatch extends Error {}

/** The snapshot as the engine wrote it: the stored text's parse with its rows back in their places. */
export function joinSnapshot(conversationId: string, stored: unknown, rows: SnapshotRows): unknown {
  const context = contextOf(stored);
  const inRows = context?.record === RECORD_IN_ROWS;
  const count = typeof context?.answered === 'number' ? context.answered : undefined;
  if (context === undefined || (!inRows && count === undefined)) return stored;
  const answered = count === undefined ? undefined : rows.answered();
  if (answered !== undefined && answered.length !== count) {
    throw new StoredAnswersMismatch(`conversation ${conversationId}: its snapshot counts ${count} answered fields, its rows ${answered.length}`);
  }
  return {
    ...(stored as SnapshotLike),
    context: {
      ...context,
      ...(inRows ? { record: rows.record() } : {}),
      ...(answered === undefined ? {} : { answered }),
    },
  };
}

/** The characters of answer rows (fields, values): what a kept snapshot's rows weigh in the cache's budget. */
export function rowsSize(answers: readonly (readonly [string, string])[], answered: readonly string[]): number {
  let size = 0;
  for (const [field, value] of answers) size += field.length + value.length;
  for (const field of answered) size += field.length;
  return size;
}

/** The record built from its rows, in their order (the order the values first came into it). */
export function recordOf(rows: Iterable<readonly [string, string]>): RecordData {
  const record: RecordData = {};
  for (const [field, value] of rows) record[field] = value;
  return record;
}

function contextOf(snapshot: unknown): SnapshotLike['context'] | undefined {
  if (!isObject(snapshot)) return undefined;
  const context = (snapshot as Partial<SnapshotLike>).context;
  return isObject(context) ? context : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
