/**
 * A conversation's transcript is a chain, as in SQLite (decision 0020): each entry names the one before it
 * and the conversation its latest. On PostgreSQL one statement appends an entry and moves the head; the
 * conversation's row is locked for it, so two appends to one conversation never fork the chain.
 */

/** Binds conversation id (null for a project's phone-level entry), project, direction, kind, body, at. */
export const APPEND_TRANSCRIPT_SQL = `WITH head AS (
    SELECT last_transcript_id AS id FROM conversations WHERE id = $1 FOR UPDATE),
  entry AS (
    INSERT INTO transcript (conversation_id, project, direction, kind, body, at, previous_id)
    VALUES ($1, $2, $3, $4, $5, $6, (SELECT id FROM head)) RETURNING id)
  UPDATE conversations SET last_transcript_id = (SELECT id FROM entry), replied = replied OR $3 = 'in'
  WHERE id = $1 AND EXISTS (SELECT 1 FROM entry)`;

/**
 * A conversation's entries, oldest first, with the given columns (fixed SQL, never input), walked back from
 * its head. Binds the conversation id.
 */
export function transcriptSql(columns: string): string {
  return `WITH RECURSIVE chain(id) AS (
      SELECT last_transcript_id FROM conversations WHERE id = $1 AND last_transcript_id IS NOT NULL
      UNION ALL
      SELECT t.previous_id FROM transcript t JOIN chain ON t.id = chain.id WHERE t.previous_id IS NOT NULL)
    SELECT ${columns} FROM transcript WHERE id IN (SELECT id FROM chain) ORDER BY id`;
}
