import type { Database, Statement } from 'better-sqlite3';
import type { ErasableText, EraseStore } from '../../ports/storage/erase-store.js';
import { gateOf, type DatabaseGate } from '../storage/database-gate.js';

/**
 * Which delivered texts may be deleted from Twilio (migration 0007): delivered before a cut-off, of a
 * project that deletes, and of a conversation that has ended (or of none, like a phone-level note).
 */
export class SqliteEraseStore implements EraseStore {
  private readonly erasable: Statement;
  private readonly erased: Statement;
  private readonly gate: DatabaseGate;

  constructor(db: Database) {
    this.gate = gateOf(db);
    this.erasable = db.prepare(`SELECT o.id, o.provider_message_id AS sid FROM outbox o
      LEFT JOIN conversations c ON c.id = o.conversation_id
      WHERE o.provider_message_id IS NOT NULL AND o.provider_deleted_at IS NULL AND o.delivery_status = 'delivered'
        AND o.delivery_updated_at <= ? AND o.project IN (SELECT value FROM json_each(?))
        AND (c.id IS NULL OR c.open = 0)
      ORDER BY o.delivery_updated_at, o.id LIMIT ?`);
    this.erased = db.prepare('UPDATE outbox SET provider_deleted_at = ? WHERE id = ?');
  }

  erasableTexts(projects: readonly string[], deliveredBefore: string, limit = 100): Promise<ErasableText[]> {
    return this.gate.run(() => this.erasable.all(deliveredBefore, JSON.stringify(projects), limit) as ErasableText[]);
  }

  markErased(id: number, at: string): Promise<void> {
    return this.gate.run(() => void this.erased.run(at, id));
  }
}
