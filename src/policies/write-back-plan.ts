/**
 * The pure half of the REDCap write-back: pending outbox rows → one import per REDCap row key
 * (record, event, repeating instance). Later values win, so the import holds what the record should
 * hold now; a group waits while any of its rows waits for a retry, so an older value never lands last.
 */
import type { FlatRecord } from '../ports/redcap/index.js';
import type { PendingRedcapRow } from '../ports/storage/redcap-sync-store.js';
import type { RecordData, Survey } from '../dictionary/model.js';

export interface WriteBatch {
  project: string;
  recordId: string;
  event: string | null;
  outboxIds: number[];
  /** Attempts so far (the most any row of the group has had). */
  attempts: number;
  /** The import: the record's non-repeating row and, for a repeating instrument, its instance row. */
  rows: FlatRecord[];
  /** Instruments whose `{form}_complete = 2` is in this import (the survey queue looks at these). */
  completed: string[];
}

interface WritePayload {
  record: string;
  instrument: string;
  values: RecordData;
}

/** Groups the due `write` rows; `surveyOf` gives the survey version a conversation pinned. */
export function planWrites(pending: readonly PendingRedcapRow[], now: string, surveyOf: (version: string) => Survey): WriteBatch[] {
  const groups = new Map<string, PendingRedcapRow[]>();
  for (const row of pending) {
    const payload = writePayload(row);
    if (payload === undefined || row.surveyVersion === null) continue;
    const t = row.target;
    const key = JSON.stringify([row.project, payload.record, t.event, t.repeatInstrument, t.repeatInstance]);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [row]);
    else group.push(row);
  }
  return [...groups.values()]
    .filter((rows) => rows.every((row) => row.nextAttemptAt <= now))
    .map((rows) => toBatch(rows, surveyOf));
}

/**
 * What one writer at a time must keep in order (decision 0063): a write's REDCap record, an opt-out change's
 * phone. PostgreSQL's claim computes the same key in SQL (redcap-sync-store.ts).
 */
export function orderKey(row: Pick<PendingRedcapRow, 'kind' | 'payload' | 'phone'>): string {
  if (row.kind !== 'write') return `phone:${row.phone ?? ''}`;
  const record = (row.payload as { record?: unknown } | null)?.record;
  return `record:${typeof record === 'string' ? record : ''}`;
}

export function writePayload(row: PendingRedcapRow): WritePayload | undefined {
  if (row.kind !== 'write') return undefined;
  const payload = row.payload as Partial<WritePayload> | null;
  if (typeof payload?.record !== 'string' || typeof payload.values !== 'object' || payload.values === null) return undefined;
  return { record: payload.record, instrument: payload.instrument ?? '', values: payload.values };
}

function toBatch(rows: readonly PendingRedcapRow[], surveyOf: (version: string) => Survey): WriteBatch {
  const first = rows[0]!;
  const payloads = rows.flatMap((row) => writePayload(row) ?? []);
  const values: RecordData = Object.assign({}, ...payloads.map((payload) => payload.values)) as RecordData;
  const survey = surveyOf(first.surveyVersion ?? '');
  const recordId = payloads[0]?.record ?? '';
  return {
    project: first.project,
    recordId,
    event: first.target.event,
    outboxIds: rows.map((row) => row.id),
    attempts: Math.max(...rows.map((row) => row.attempts)),
    rows: importRows(survey, recordId, values, first.target),
    completed: survey.instruments.filter((i) => values[i.completeField] === '2').map((i) => i.name),
  };
}

/**
 * Splits values between the record's row for the event and the repeating instance's row: only the
 * repeating instrument's own columns belong to the instance (an opt-out field elsewhere does not).
 */
export function importRows(survey: Survey, recordId: string, values: RecordData, target: PendingRedcapRow['target']): FlatRecord[] {
  const base: FlatRecord = { [survey.recordIdField]: recordId, ...(target.event === null ? {} : { redcap_event_name: target.event }) };
  if (target.repeatInstance === null || target.repeatInstrument === null) return [{ ...base, ...values }];
  const repeating = target.repeatInstrument;
  const formOf = columnForms(survey);
  const onInstance = (column: string) => repeating === '' || formOf.get(column) === repeating;
  const instanceValues = Object.entries(values).filter(([column]) => onInstance(column));
  const otherValues = Object.entries(values).filter(([column]) => !onInstance(column));
  const instance: FlatRecord = {
    ...base, redcap_repeat_instrument: repeating, redcap_repeat_instance: String(target.repeatInstance),
    ...Object.fromEntries(instanceValues),
  };
  return otherValues.length === 0 ? [instance] : [{ ...base, ...Object.fromEntries(otherValues) }, instance];
}

/** The form of every import column: field names, checkbox `field___code` columns, `{form}_complete`. */
function columnForms(survey: Survey): Map<string, string> {
  const forms = new Map<string, string>();
  for (const field of survey.fields) {
    forms.set(field.name, field.form);
    for (const option of field.checkboxExports) forms.set(option.exportName, field.form);
  }
  return forms;
}
