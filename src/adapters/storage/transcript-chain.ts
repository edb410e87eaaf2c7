/**
 * A conversation's transcript is a chain (migration 0010): the conversation names its latest entry and
 * every entry the one before it, so appending writes no index page. These are the two ends of it.
 */

/** Appends an entry after the conversation's latest one; the `transcript_chain` trigger moves the head. */
export const APPEND_TRANSCRIPT_SQL = `INSERT INTO transcript (conversation_id, project, direction, kind, body, at, previous_id)
  VALUES (@conversationId, @project, @direction, @kind, @body, @at,
    (SELECT last_transcript_id FROM conversations WHERE id = @conversationId))`;

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
