/**
 * Piping: `[field]`, `[field:value]`, `[field:label]`, `[field:field-label]`, `[cb:checked]`, `[cb(2)]`, `[event][field]`,
 * `[field][2]` and smart variables inside labels, notes and choice labels. The scanner is shared
 * with the dictionary check, which reports references to fields that do not exist.
 */
import type { Field } from '../dictionary/model.js';
import { isInstanceSmartVariable, type InstanceRef } from './ast.js';
import { EVENT_QUALIFIERS } from './event-navigation.js';

export interface PipeReference {
  kind: 'field';
  name: string;
  code?: string;
  event?: string;
  instance?: InstanceRef;
  modifiers: string[];
  /** Offsets of the whole reference in the text, qualifiers included. */
  start: number;
  end: number;
}
export interface PipeSmart { kind: 'smart'; name: string; start: number; end: number }
export type PipeToken = PipeReference | PipeSmart;

const GROUP = /\[([^[\]\n]*)\]/g;
const FIELD_GROUP = /^([a-z][a-z0-9_]*)(?:\(([^()]+)\))?((?::[a-z0-9_-]+)*)$/;
const SMART_GROUP = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)+(?::.*)?$/;
const EVENT_GROUP = /^[a-z][a-z0-9_-]*$/;
/** Smart variables that name an event, and so qualify a field right after them (`[previous-event-name][weight]`). */
const EVENT_SMART_GROUPS: ReadonlySet<string> = new Set(['event-name', ...EVENT_QUALIFIERS]);

interface Group { text: string; start: number; end: number }

/**
 * Every piping reference in the text. A bracket that is not a known field but is directly followed
 * by one is its event qualifier; one that matches no pattern (`[low dose]`) is plain text.
 */
export function scanPiping(text: string, isField: (name: string) => boolean): PipeToken[] {
  const groups = [...text.matchAll(GROUP)].map((m): Group => ({ text: m[1]!, start: m.index, end: m.index + m[0].length }));
  const tokens: PipeToken[] = [];
  for (let i = 0; i < groups.length; i++) {
    const group = groups[i]!;
    const next = adjacent(groups, i);
    const nextField = next === undefined ? null : FIELD_GROUP.exec(next.text);
    const smartEvent = nextField !== null && isField(nextField[1]!) && EVENT_SMART_GROUPS.has(group.text);
    if (SMART_GROUP.test(group.text) && !smartEvent) {
      tokens.push({ kind: 'smart', name: group.text, start: group.start, end: group.end });
      continue;
    }
    const field = smartEvent ? nextField : FIELD_GROUP.exec(group.text);
    if (field === null) continue;
    const isEvent = smartEvent || (!isField(field[1]!) && nextField !== null && EVENT_GROUP.test(group.text) && !isInstanceGroup(next!));
    const target = isEvent ? nextField! : field;
    const targetIndex = isEvent ? i + 1 : i;
    const reference: PipeReference = {
      kind: 'field',
      name: target[1]!,
      modifiers: target[3]!.split(':').filter((m) => m !== ''),
      start: group.start,
      end: groups[targetIndex]!.end,
    };
    if (target[2] !== undefined) reference.code = target[2];
    if (isEvent) reference.event = group.text;
    const instanceGroup = adjacent(groups, targetIndex);
    if (instanceGroup !== undefined && isInstanceGroup(instanceGroup)) {
      reference.instance = /^\d+$/.test(instanceGroup.text) ? Number(instanceGroup.text) : (instanceGroup.text as InstanceRef);
      reference.end = instanceGroup.end;
      i = targetIndex + 1;
    } else {
      i = targetIndex;
    }
    tokens.push(reference);
  }
  return tokens;
}

function adjacent(groups: readonly Group[], index: number): Group | undefined {
  const next = groups[index + 1];
  return next !== undefined && next.start === groups[index]!.end ? next : undefined;
}

function isInstanceGroup(group: Group): boolean {
  return /^\d+$/.test(group.text) || isInstanceSmartVariable(group.text);
}

export const BLANK_PIPE = '______';

const LABELLED_TYPES: ReadonlySet<string> = new Set(['radio', 'dropdown', 'yesno', 'truefalse', 'sql']);

/** The text a field reference pipes, given the raw stored value(s). */
export function pipedFieldText(
  field: Field, reference: PipeReference, read: (column: string) => string, blankText: string = BLANK_PIPE,
): string {
  const modifiers = new Set(reference.modifiers);
  // The question itself, whatever the record holds.
  if (modifiers.has('field-label')) return field.label;
  const blank = modifiers.has('hideunderscore') ? '' : blankText;
  const raw = modifiers.has('value');
  if (field.type === 'checkbox') return checkboxText(field, reference, modifiers, read, blank);
  const value = read(field.name);
  if (value === '') return blank;
  if (raw || !LABELLED_TYPES.has(field.type)) return value;
  return field.choices.find((choice) => choice.code === value)?.label ?? value;
}

function checkboxText(field: Field, reference: PipeReference, modifiers: ReadonlySet<string>, read: (column: string) => string, blank: string): string {
  const checked = (exportName: string): boolean => read(exportName) === '1';
  if (reference.code !== undefined) {
    const option = field.checkboxExports.find((o) => o.code.toLowerCase() === reference.code!.toLowerCase());
    const isChecked = option !== undefined && checked(option.exportName);
    if (modifiers.has('value')) return isChecked ? '1' : '0';
    return isChecked ? 'Checked' : 'Unchecked';
  }
  const wantChecked = !modifiers.has('unchecked');
  const chosen = field.checkboxExports.filter((option) => checked(option.exportName) === wantChecked);
  const texts = chosen.map((option) => (modifiers.has('value')
    ? option.code
    : field.choices.find((choice) => choice.code === option.code)?.label ?? option.code));
  return texts.length === 0 ? blank : texts.join(', ');
}
