import type pg from 'pg';
import type { ErasableText, EraseStore } from '../../ports/storage/erase-store.js';

/**
 * Which delivered texts may be deleted from the provider: delivered before a cut-off, of a project that
 * deletes, and of a conversation that has ended (or of none, like a phone-level note).
 */
export class PostgresEraseStore implements EraseStore {
  constructor(private readonly pool: pg.Pool) {}

  async erasableTexts(projects: readonly string[], deliveredBefore: string, limit = 100): Promise<ErasableText[]> {
    const { rows } = await this.pool.query<ErasableText>(
      `SELECT o.id, o.provider_message_id AS sid FROM outbox o LEFT JOIN conversations c ON c.id = o.conversation_id
       WHERE o.provider_message_id IS NOT NULL AND o.provider_deleted_at IS NULL AND o.delivery_status = 'delivered'
         AND o.delivery_updated_at <= $1 AND o.project = ANY($2::text[]) AND (c.id IS NULL OR NOT c.open)
       ORDER BY o.delivery_updated_at, o.id LIMIT $3`,
      [deliveredBefore, projects, limit],
    );
    return rows;
  }

  async markErased(id: number, at: string): Promise<void> {
    await this.pool.query('UPDATE outbox SET provider_deleted_at = $2 WHERE id = $1', [id, at]);
  }
}
