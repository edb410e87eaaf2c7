import type { Catalog } from '../../messages/catalog.js';
import type { Checked } from '../types.js';

export interface FormatContext {
  now: Date;
  timeZone: string;
  catalog: Catalog;
}

/** How one validation type reads a reply, describes itself and orders values for min/max. */
export interface TextFormat {
  /** The participant's text → REDCap's stored value, or the reason it is not one. */
  read(text: string, ctx: FormatContext): Checked<string>;
  /** The prompt's format hint, in the participant's terms; '' for none. */
  hint(catalog: Catalog): string;
  /** A stored value shown back to the participant (dates in their order). */
  show(stored: string): string;
  /** A number that orders stored values, for min/max; absent for unordered types. */
  rank?(stored: string): number | undefined;
  /** The stored value `today` / `now` stands for, for min/max bounds. */
  clock?(kind: 'today' | 'now', ctx: FormatContext): string;
}
