/**
 * Where a `[field]` reference reads its value: the current record, another event's data, another
 * instance, a checkbox option's `field___code` column, or a calculation computed on the spot.
 */
import type { Field } from '../dictionary/model.js';
import { checkboxExportName } from '../dictionary/index.js';
import { repeatInstrumentOf } from '../dictionary/project-design.js';
import type { FieldNode, InstanceRef } from './ast.js';
import type { EvalContext, RecordData } from './context.js';
import { EVENT_QUALIFIERS, relativeEvent, type EventStep } from './event-navigation.js';
import { BLANK } from './values.js';

/**
 * The row a reference reads from: the one being filled in (`ctx.record`), another event's, or another
 * repeat instance's (`ctx.rows`); undefined when that event or instance has no data. `form` is the
 * referenced field's form, which decides whether an instance qualifier applies (decision 0055).
 */
export function recordFor(node: Pick<FieldNode, 'event' | 'instance'>, form: string | undefined, ctx: EvalContext): RecordData | undefined {
  const event = targetEvent(node.event, ctx);
  if (event === null) return undefined;
  const same = event === ctx.event;
  const repeat = form === undefined ? undefined : repetition(event, form, ctx, same);
  if (repeat === undefined) return same ? ctx.record : rowOf(ctx, event, undefined, 0);
  const current = same && ctx.repeatInstrument === repeat ? ctx.instance ?? 1 : undefined;
  const instance = instanceNumber(node.instance, current, () => instancesOf(ctx, event, repeat));
  if (instance === undefined) return undefined;
  return instance === current ? ctx.record : rowOf(ctx, event, repeat, instance);
}

/** The event a qualifier names: the current one, a named one, a relative one, or null when there is none. */
function targetEvent(qualifier: string | undefined, ctx: EvalContext): string | undefined | null {
  if (qualifier === undefined || qualifier === 'event-name') return ctx.event;
  if (!EVENT_QUALIFIERS.has(qualifier)) return qualifier;
  return relativeEvent(ctx, qualifier.replace(/-event-name$/, '') as EventStep)?.name ?? null;
}

/** How the field's form repeats in that event: as the form (its name), as the whole event (''), or not at all. */
function repetition(event: string | undefined, form: string, ctx: EvalContext, same: boolean): string | undefined {
  if (same && (ctx.repeatInstrument === '' || ctx.repeatInstrument === form)) return ctx.repeatInstrument;
  if (ctx.design !== undefined) return repeatInstrumentOf(ctx.design, event, form);
  // Without the design, the rows say it: an instance row of the event, or of the form in the event.
  const rows = (ctx.rows ?? []).filter((row) => rowEvent(row) === (event ?? '') && rowInstance(row) > 0);
  if (rows.some((row) => rowInstrument(row) === '')) return '';
  return rows.some((row) => rowInstrument(row) === form) ? form : undefined;
}

/**
 * The instance a qualifier means. Unqualified: the current instance inside the same repeating context,
 * instance 1 outside it. Relative qualifiers count from the current instance (1 outside a repeat).
 */
function instanceNumber(ref: InstanceRef | undefined, current: number | undefined, known: () => number[]): number | undefined {
  if (ref === undefined) return current ?? 1;
  if (typeof ref === 'number') return ref;
  const from = current ?? 1;
  switch (ref) {
    case 'current-instance': return from;
    case 'previous-instance': return from > 1 ? from - 1 : undefined;
    case 'next-instance': return from + 1;
    case 'first-instance': return known()[0] ?? current;
    case 'last-instance': return known().at(-1) ?? current;
  }
}

/** Instance numbers with data for a repeating form (or event) in an event, the one being filled in included. */
export function instancesOf(ctx: EvalContext, event: string | undefined, repeat: string): number[] {
  const numbers = new Set((ctx.rows ?? [])
    .filter((row) => rowEvent(row) === (event ?? '') && rowInstrument(row) === repeat && rowInstance(row) > 0)
    .map(rowInstance));
  if (event === ctx.event && repeat === ctx.repeatInstrument && ctx.instance !== undefined) numbers.add(ctx.instance);
  return [...numbers].sort((a, b) => a - b);
}

/** The stored row for an event and repeat instance (`repeat` undefined: the event's non-repeating row). */
function rowOf(ctx: EvalContext, event: string | undefined, repeat: string | undefined, instance: number): RecordData | undefined {
  return ctx.rows?.find((row) => rowEvent(row) === (event ?? '')
    && (repeat === undefined ? rowInstance(row) === 0 : rowInstrument(row) === repeat && rowInstance(row) === instance));
}

const rowEvent = (row: RecordData): string => row.redcap_event_name ?? '';
const rowInstrument = (row: RecordData): string => row.redcap_repeat_instrument ?? '';
const rowInstance = (row: RecordData): number => {
  const text = row.redcap_repeat_instance ?? '';
  return /^\d+$/.test(text) ? Number(text) : 0;
};

/** The export column of a checkbox option, matching the code case-insensitively as REDCap does. */
export function checkboxColumn(field: Field | undefined, name: string, code: string): string {
  const lower = code.toLowerCase();
  const known = field?.checkboxExports.find((option) => option.code.toLowerCase() === lower);
  return known?.exportName ?? checkboxExportName(name, code);
}

/** A checkbox option is '1' or '0'; never saved reads as '0'. */
export function checkboxOptionValue(record: RecordData, column: string): string {
  const value = record[column];
  return value === undefined || value === '' ? '0' : value;
}

/** The codes of checked options, comma-separated (what a bare `[checkbox]` means in logic). */
export function checkedCodes(field: Field, record: RecordData): string[] {
  return field.checkboxExports.filter((option) => record[option.exportName] === '1').map((option) => option.code);
}

export function plainValue(record: RecordData | undefined, name: string): string {
  return record?.[name] ?? BLANK;
}
