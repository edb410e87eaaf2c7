/**
 * A conversation's transcript is a chain (migration 0010): the conversation names its latest entry and
 * every entry the one before it, so appending writes no index page. Since migration 0011 the store, not
 * a trigger, moves the conversation's head: a unit of work appends several entries to one conversation
 * and saves that conversation once, so the head rides along with that save instead of costing the
 * conversation's row one more rewrite per entry ([0020](../../../docs/decisions/0020-transcript-chain.md)).
 */

/** Appends an entry after `previousId`, the conversation's head before it (null for the first entry). */
export const APPEND_TRANSCRIPT_SQL = `INSERT INTO transcript (conversation_id, project, direction, kind, body, at, previous_id)
  VALUES (@conversationId, @project, @direction, @kind, @body, @at, @previousId)`;

export const SELECT_HEAD_SQL = 'SELECT last_transcript_id AS head FROM conversations WHERE id = ?';

/** Moves the head; `replied` (migration 0012) once set stays set. Binds head, replied (0/1), conversation id. */
export const WRITE_HEAD_SQL = 'UPDATE conversations SET last_transcript_id = ?, replied = MAX(replied, ?) WHERE id = ?';

/** The same, as part of a conversation's save: binds @head (null: unchanged) and @replied. */
export const HEAD_WITH_SAVE_SQL = 'last_transcript_id = COALESCE(@head, last_transcript_id), replied = MAX(replied, @replied)';

/**
 * A conversation's entries, oldest first, with the given columns (fixed SQL, never input): the chain is
 * walked back from the head, one primary-key lookup per entry. Bind the conversation id.
 */
export function transcriptOfConversationSql(columns: string): string {
  return `WITH RECURSIVE chain(id) AS (
      SELECT last_transcript_id FROM conversations WHERE id = ? AND last_transcript_id IS NOT NULL
      UNION ALL
      SELECT t.previous_id FROM transcript t JOIN chain ON t.id = chain.id WHERE t.previous_id IS NOT NULL)
    SELECT ${columns} FROM transcript WHERE id IN (SELECT id FROM chain) ORDER BY id`;
}

/** What the open transaction appended to one conversation's chain. */
export interface PendingHead {
  head: number;
  /** One of the entries is a text from the participant (the dashboard's "started"). */
  replied: boolean;
}

/**
 * The heads of the chains appended to in the open transaction and not yet written to their
 * conversations. A nested transaction that fails takes its heads back with it, as SQLite takes back
 * its entries.
 */
export class PendingHeads {
  private heads = new Map<string, PendingHead>();

  get(conversationId: string): PendingHead | undefined {
    return this.heads.get(conversationId);
  }

  set(conversationId: string, pending: PendingHead): void {
    this.heads.set(conversationId, pending);
  }

  /** The conversation's row was saved with its head, which needs no write of its own any more. */
  written(conversationId: string): void {
    this.heads.delete(conversationId);
  }

  /** Hands every head over to `write` and forgets them. */
  drain(write: (conversationId: string, pending: PendingHead) => void): void {
    for (const [conversationId, pending] of this.heads) write(conversationId, pending);
    this.heads.clear();
  }

  clear(): void {
    this.heads.clear();
  }

  /** The heads as they are now, for `restore` when a nested unit is rolled back. */
  saved(): Map<string, PendingHead> {
    return new Map(this.heads);
  }

  restore(saved: Map<string, PendingHead>): void {
    this.heads = saved;
  }
}
