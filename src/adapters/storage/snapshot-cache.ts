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

  /** How many characters the kept snapshot of `id` stands for (its text and rows); undefined if none is kept. */
  size(id: string): number | undefined {
    return this.entries.get(id)?.size;
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
