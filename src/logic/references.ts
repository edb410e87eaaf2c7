/**
 * Where a `[field]` reference reads its value: the current record, another event's data, another
 * instance, a checkbox option's `field___code` column, or a calculation computed on the spot.
 */
import type { Field } from '../dictionary/model.js';
import { checkboxExportName } from '../dictionary/index.js';
import type { FieldNode, InstanceRef } from './ast.js';
import type { EvalContext, RecordData } from './context.js';
import { knownInstances } from './smart-variables.js';
import { BLANK } from './values.js';

/** The record a reference reads from, or undefined when that event or instance has no data here. */
export function recordFor(node: Pick<FieldNode, 'event' | 'instance'>, ctx: EvalContext): RecordData | undefined {
  const eventRecord = node.event === undefined || node.event === 'event-name' || node.event === ctx.event
    ? ctx.record
    : ctx.events?.[node.event];
  if (eventRecord === undefined || node.instance === undefined || eventRecord !== ctx.record) return eventRecord;
  const instance = instanceNumber(node.instance, ctx);
  if (instance === undefined) return undefined;
  return instance === ctx.instance || (ctx.instance === undefined && instance === 1) ? ctx.record : ctx.instances?.[instance];
}

function instanceNumber(ref: InstanceRef, ctx: EvalContext): number | undefined {
  if (typeof ref === 'number') return ref;
  const current = ctx.instance ?? 1;
  switch (ref) {
    case 'current-instance': return current;
    case 'previous-instance': return current > 1 ? current - 1 : undefined;
    case 'next-instance': return current + 1;
    case 'first-instance': return knownInstances(ctx)[0] ?? current;
    case 'last-instance': return knownInstances(ctx).at(-1) ?? current;
  }
}

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
