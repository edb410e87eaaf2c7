/**
 * The parsed snapshots of the conversations read or saved lately, each with the JSON text it is the
 * parse of. A row read again with the same text gets the same object back instead of a new parse: past
 * 127 keys V8 builds a parsed record as a dictionary, and parsing the snapshot of a conversation 300
 * answers deep was a tenth of a text's unit of work (issue 28). A participant answers question after
 * question within minutes, so the conversations texting now are the ones read and saved last.
 *
 * Comparing the texts makes a stale entry impossible to serve (a rolled-back save, a restored backup):
 * only a parse of the very text read is ever handed out. The objects are shared between reads, so
 * nothing may change them; the conversation step never does (it is pure).
 */
export class SnapshotCache {
  private readonly entries = new Map<string, { text: string; snapshot: unknown }>();
  private characters = 0;

  /** `budget`: how many characters of JSON the entries may hold together (their objects take a few times that). */
  constructor(private readonly budget = 8_000_000) {}

  /** The snapshot stored as `text` for conversation `id`. */
  parse(id: string, text: string): unknown {
    const entry = this.entries.get(id);
    if (entry !== undefined && entry.text === text) {
      this.entries.delete(id);
      this.entries.set(id, entry);
      return entry.snapshot;
    }
    const snapshot = JSON.parse(text) as unknown;
    this.remember(id, text, snapshot);
    return snapshot;
  }

  /** `snapshot` was just stored as `text` for conversation `id`. */
  remember(id: string, text: string, snapshot: unknown): void {
    this.forget(id);
    if (text.length > this.budget) return;
    this.entries.set(id, { text, snapshot });
    this.characters += text.length;
    // A Map iterates in insertion order and every use re-inserts: the first entries are the least recently used.
    for (const [oldest] of this.entries) {
      if (this.characters <= this.budget) break;
      this.forget(oldest);
    }
  }

  private forget(id: string): void {
    const entry = this.entries.get(id);
    if (entry === undefined) return;
    this.entries.delete(id);
    this.characters -= entry.text.length;
  }
}
