import { rowsSize, type RowWrites } from './snapshot-rows.js';

/**
 * The snapshots of the conversations read or saved lately, each with the revision and stored text it is
 * the snapshot of. A row read again at the same revision with the same text gets the same object back
 * instead of a parse and a read of its answer rows (decision 0069): past 127 keys V8 builds a record as a
 * dictionary, and rebuilding the snapshot of a conversation 300 answers deep was a tenth of a text's unit
 * of work (issue 28). A participant answers question after question within minutes, so the conversations
 * texting now are the ones read and saved last.
 *
 * A committed revision of a conversation is one content only, so a revision and text read back are the
 * snapshot kept for them, unless the save that left it here was rolled back: the store forgets what a
 * rolled-back transaction saved (`forget`). The objects are shared between reads, so nothing may change
 * them; the conversation step never does (it is pure).
 */
export class SnapshotCache {
  private readonly entries = new Map<string, Entry>();
  private characters = 0;

  /** `budget`: how many characters of JSON the entries may hold together (their objects take a few times that). */
  constructor(private readonly budget = 8_000_000) {}

  /** The snapshot kept for conversation `id` at `revision`, stored as `text`; undefined if none is. */
  get(id: string, revision: number, text: string): unknown {
    const entry = this.entries.get(id);
    if (entry === undefined || entry.revision !== revision || entry.text !== text) return undefined;
    this.entries.delete(id);
    this.entries.set(id, entry);
    return entry.snapshot;
  }

  /** `snapshot` is conversation `id` at `revision`, stored as `text`, standing for `size` characters with its rows. */
  remember(id: string, revision: number, text: string, snapshot: unknown, size: number): void {
    this.forget(id);
    if (size > this.budget) return;
    this.entries.set(id, { revision, text, snapshot, size });
    this.characters += size;
    // A Map iterates in insertion order and every use re-inserts: the first entries are the least recently used.
    for (const [oldest] of this.entries) {
      if (this.characters <= this.budget) break;
      this.forget(oldest);
    }
  }

  /**
   * `snapshot` was just saved as revision `revision`, its text `text`, writing `writes` of its rows. Its
   * size grows by what the save wrote, so keeping it costs the changes; a conversation not kept already is
   * not kept now (unless the save wrote every row), and is read again next time. True when it is kept.
   */
  saved(id: string, revision: number, text: string, snapshot: unknown, writes: RowWrites): boolean {
    const kept = this.entries.get(id);
    if (!writes.whole && kept === undefined) return false;
    const keptRows = writes.whole || kept === undefined ? 0 : kept.size - kept.text.length;
    this.remember(id, revision, text, snapshot, text.length + keptRows + rowsSize(writes.answers, writes.answered));
    return true;
  }

  forget(id: string): void {
    const entry = this.entries.get(id);
    if (entry === undefined) return;
    this.entries.delete(id);
    this.characters -= entry.size;
  }
}

interface Entry {
  revision: number;
  text: string;
  snapshot: unknown;
  size: number;
}
