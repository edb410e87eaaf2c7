/**
 * Records in memory, one row per record × event × repeating instrument × instance, as REDCap keeps them.
 * Values are stored by export column name (`field___code` for checkbox options).
 */

export interface RowKey {
  record: string;
  /** Unique event name; '' in a classic project. */
  event: string;
  /** Repeating instrument; '' for a non-repeating row. */
  repeatInstrument: string;
  /** Repeat instance; 0 for a non-repeating row. */
  instance: number;
}

export interface StoredRow {
  key: RowKey;
  values: ReadonlyMap<string, string>;
}

/** A row's identity as text: the same for equal keys whatever their property order. */
export const keyText = (key: RowKey): string => JSON.stringify([key.record, key.event, key.repeatInstrument, key.instance]);

/** Record names sort as REDCap lists them: numbers numerically, then text. */
const compareRecords = new Intl.Collator('en', { numeric: true }).compare;

type Row = { key: RowKey; values: Map<string, string> };

export class RecordStore {
  private readonly rows = new Map<string, Row>();
  /** Each record's rows, so an import's work grows with the records it touches, not with the project. */
  private readonly byRecord = new Map<string, Row[]>();
  /** When each record was last created or modified, for `dateRangeBegin`/`dateRangeEnd`. */
  private readonly modified = new Map<string, Date>();

  constructor(private readonly eventOrder: readonly string[], private readonly clock: () => Date = () => new Date()) {}

  /** When the record was created or last modified; undefined for a record never written. */
  modifiedAt(record: string): Date | undefined {
    return this.modified.get(record);
  }

  /** Writes values into a row; with `overwrite` false (REDCap's `normal`), blanks leave stored values alone. */
  write(key: RowKey, values: Readonly<Record<string, string>>, overwrite: boolean): void {
    this.modified.set(key.record, this.clock());
    const text = keyText(key);
    let row = this.rows.get(text);
    if (row === undefined) {
      row = { key, values: new Map<string, string>() };
      this.rows.set(text, row);
      const ofRecord = this.byRecord.get(key.record);
      if (ofRecord === undefined) this.byRecord.set(key.record, [row]);
      else ofRecord.push(row);
    }
    for (const [column, value] of Object.entries(values)) {
      if (value === '' && !overwrite) continue;
      row.values.set(column, value);
    }
  }

  hasRecord(record: string): boolean {
    return this.byRecord.has(record);
  }

  /** The instance number `new` gets: one past the highest stored (or planned) for that record, event and form. */
  nextInstance(key: Omit<RowKey, 'instance'>, planned: readonly RowKey[] = []): number {
    const same = (k: RowKey) => k.record === key.record && k.event === key.event && k.repeatInstrument === key.repeatInstrument;
    const stored = (this.byRecord.get(key.record) ?? []).map((row) => row.key);
    const taken = [...stored, ...planned].filter(same).map((k) => k.instance);
    return Math.max(0, ...taken) + 1;
  }

  /** One row; undefined when it was never written. */
  row(key: RowKey): StoredRow | undefined {
    return this.rows.get(keyText(key));
  }

  /** One record's rows in REDCap's export order (event order, then instrument and instance). */
  rowsOf(record: string): StoredRow[] {
    return [...(this.byRecord.get(record) ?? [])].sort(this.compareWithinRecord);
  }

  /** Every row in REDCap's export order: record, then event order, then instrument and instance. */
  list(): StoredRow[] {
    return [...this.rows.values()].sort((a, b) => compareRecords(a.key.record, b.key.record) || this.compareWithinRecord(a, b));
  }

  private readonly compareWithinRecord = (a: StoredRow, b: StoredRow): number => {
    const eventIndex = (event: string) => this.eventOrder.indexOf(event);
    return eventIndex(a.key.event) - eventIndex(b.key.event)
      || a.key.repeatInstrument.localeCompare(b.key.repeatInstrument)
      || a.key.instance - b.key.instance;
  };
}
