/**
 * Where a new conversation sits in a longitudinal or repeating project, worked out from the project's
 * design and the record's rows as REDCap exported them: its event (with label and arm), the repeat
 * instance its answers go to (the next one, fixed at invitation so a retry never adds another), and
 * the row it starts from.
 */
import { repeatInstrumentOf, type ProjectDesign } from '../dictionary/project-design.js';
import type { RecordData } from '../logic/index.js';
import { eventDetailsOf } from '../logic/event-navigation.js';
import type { ConversationPlace } from './context.js';

export interface PlacedConversation {
  place: ConversationPlace;
  /** The row the conversation fills in: the event's row, with nothing of the new instance yet. */
  record: RecordData;
}

const SYSTEM_COLUMNS = ['redcap_event_name', 'redcap_repeat_instrument', 'redcap_repeat_instance'];

export function placeConversation(design: ProjectDesign, rows: readonly RecordData[], instrument: string, event: string | null): PlacedConversation {
  const inEvent = rows.filter((row) => event === null || (row.redcap_event_name ?? '') === event);
  const base = inEvent.find((row) => (row.redcap_repeat_instrument ?? '') === '' && (row.redcap_repeat_instance ?? '') === '') ?? {};
  const record = Object.fromEntries(Object.entries(base).filter(([column]) => !SYSTEM_COLUMNS.includes(column)));
  const details = event === null ? undefined : eventDetailsOf(design, event) ?? { name: event };
  const repeating = repeatInstrumentOf(design, event ?? undefined, instrument);
  const place: ConversationPlace = {
    ...(details === undefined ? {} : { event: details }),
    ...(repeating === undefined ? {} : { repeat: { instrument: repeating, instance: nextInstance(inEvent, repeating) } }),
    design,
    rows: [...rows],
  };
  return { place, record };
}

function nextInstance(rows: readonly RecordData[], repeating: string): number {
  const taken = rows
    .filter((row) => (row.redcap_repeat_instrument ?? '') === repeating)
    .map((row) => Number(row.redcap_repeat_instance ?? 0))
    .filter((n) => Number.isInteger(n));
  return Math.max(0, ...taken) + 1;
}
