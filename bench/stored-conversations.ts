/**
 * Fills a database with copies of one stored conversation (its row, texts, transcript, timers and the
 * inbound texts of its phone) in a handful of INSERT … SELECT statements: 100,000 stored conversations
 * in seconds, where inviting them through the use case would take minutes. Each copy has its own id,
 * record id and phone (its snapshot names that phone); its queued texts and writes count as delivered
 * and its timers as cancelled, so the copies add rows to every table and index the inbound path touches
 * without giving the dispatcher or the timer loop work of their own.
 */
import type { Database } from 'better-sqlite3';

/**
 * At most this many of the template's rows per table are copied (its latest): a conversation of a
 * diary study holds a few texts, timers and transcript entries, and 100,000 copies of a conversation
 * 300 answers deep would be tens of millions of rows, minutes to write.
 */
const ROWS_PER_TABLE = 4;

interface Template {
  id: string;
  phone: string;
}

/** Copy n's phone: +1999 and seven digits, a range the benchmarks' participants never use. */
export const seededPhone = (n: number): string => `+1999${String(n).padStart(7, '0')}`;

/** Copies 1…count of the conversation, numbered from `first` (their phones are seededPhone(first + 1)…). */
export function seedConversations(db: Database, templateId: string, count: number, tag = 'seed', first = 0): void {
  const template = db.prepare('SELECT id, phone FROM conversations WHERE id = ?').get(templateId) as Template | undefined;
  if (template === undefined) throw new Error(`no conversation ${templateId} to copy`);
  const id = `printf('%s-%d', '${sqlText(tag)}', n)`;
  const phone = `printf('+1999%07d', n + ${Math.trunc(first)})`;
  const copies: [table: string, where: string, overrides: Record<string, string>, rows?: 'all'][] = [
    ['conversations', 'id = @id', {
      id, record_id: id, phone, snapshot: 'replace(snapshot, @phone, ' + phone + ')', last_transcript_id: 'NULL',
    }],
    ['outbox', 'conversation_id = @id', {
      id: 'NULL', conversation_id: id, phone: `CASE WHEN phone IS NULL THEN NULL ELSE ${phone} END`, status: "'sent'",
    }],
    ['transcript', 'conversation_id = @id', { id: 'NULL', conversation_id: id, previous_id: 'NULL' }],
    ['timers', 'conversation_id = @id', { id: 'NULL', conversation_id: id, status: "'cancelled'" }],
    // Every answer row: the snapshot counts them (decision 0069).
    ['conversation_answers', 'conversation_id = @id', { conversation_id: id }, 'all'],
    ['conversation_answered', 'conversation_id = @id', { conversation_id: id }, 'all'],
    ['inbound_messages', 'phone = @phone', {
      id: 'NULL', phone, provider_message_id: `provider_message_id || printf('-%s-%d', '${sqlText(tag)}', n)`,
    }],
  ];
  db.transaction(() => {
    for (const [table, where, overrides, rows] of copies) {
      const columns = (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((column) => column.name);
      const values = columns.map((column) => overrides[column] ?? column);
      db.prepare(`WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < @count)
        INSERT INTO ${table} (${columns.join(', ')}) SELECT ${values.join(', ')}
        FROM seq, (SELECT * FROM ${table} WHERE ${where} ORDER BY rowid${rows === 'all' ? '' : ` DESC LIMIT ${ROWS_PER_TABLE}`})`)
        .run({ count, id: template.id, phone: template.phone });
    }
  })();
}

/** A tag is the benchmark's own word, never input; quoted all the same. */
function sqlText(text: string): string {
  return text.replace(/'/g, "''");
}
