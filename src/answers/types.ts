import type { ActionTags, Field, RecordData, Survey } from '../dictionary/model.js';
import type { Catalog } from '../messages/catalog.js';

export type { RecordData };

export interface PromptInput {
  survey: Survey;
  field: Field;
  /** Resolved for this record (`ifs` already applied). */
  tags: ActionTags;
  pipe: (text: string) => string;
  catalog: Catalog;
  /** Raw texts shown before the question: section header, preceding descriptive fields. */
  lead: string[];
  record: RecordData;
  /** The answer already filled in (@DEFAULT, @SETVALUE) as stored values: shown, and kept with SKIP. */
  prefilled?: RecordData;
}

export interface Prompt {
  /** The whole prompt as one text (parts joined). */
  text: string;
  /** Ordered SMS bodies, each at most 1,600 characters. */
  parts: string[];
  segments: number;
}

export interface ReplyInput {
  survey: Survey;
  field: Field;
  tags: ActionTags;
  text: string;
  record: RecordData;
  now: Date;
  timeZone: string;
  catalog: Catalog;
}

export type ReplyOutcome =
  | { kind: 'accepted'; values: RecordData }
  | { kind: 'confirm'; values: RecordData; message: string }
  | { kind: 'rejected'; message: string };

/** A step's verdict before it becomes a participant-facing message. */
export type Checked<T> = { ok: true; value: T } | { ok: false; key: string; params?: Record<string, string | number> };

export const okValue = <T>(value: T): Checked<T> => ({ ok: true, value });
export const failWith = <T>(key: string, params?: Record<string, string | number>): Checked<T> =>
  params === undefined ? { ok: false, key } : { ok: false, key, params };
