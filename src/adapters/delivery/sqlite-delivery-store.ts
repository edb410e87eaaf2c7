import type { Database, Statement } from 'better-sqlite3';
import type { Claim, DeliveryStore, DueText, SentText } from '../../ports/storage/delivery-store.js';
import type { SharedCommit } from '../../ports/storage/shared-commit.js';
import { gateOf, type DatabaseGate } from '../storage/database-gate.js';

export type { Claim, DueText, SentText } from '../../ports/storage/delivery-store.js';

/** The outbox's delivery columns in SQLite (migration 0002). */
interface OutboxTextRecord {
  id: number;
  conversation_id: string | null;
  project: string;
  phone: string | null;
  payload: string;
  attempts: number;
  status: string;
  opted_out: number;
  record_id: string | null;
}

/**
 * Each read passes the connection's gate (database-gate.ts): it runs when no unit of work is open. Given the
 * connection's shared commit, each write (a text's send, retry or failure recorded, a status callback) is a
 * unit of that commit, so the texts sent in one turn share its transaction and fsync with the inbound texts
 * (decision 0072); without it, each write is a transaction of its own.
 */
export class SqliteDeliveryStore implements DeliveryStore {
  private readonly sql: Record<string, Statement>;
  private readonly gate: DatabaseGate;

  constructor(private readonly db: Database, private readonly commit?: SharedCommit) {
    this.sql = prepareAll(db);
    this.gate = gateOf(db);
  }

  /** Runs one write: in the next shared commit, or alone through the gate. */
  private write<T>(work: () => T): Promise<T> {
    return this.commit === undefined ? this.gate.run(work) : this.commit(async () => work());
  }

  /**
   * One project's pending texts whose time has come, oldest first, each the oldest pending text of its
   * phone, so a text waiting for a retry holds back the ones queued after it (participants read
   * questions in order).
   */
  dueTexts(project: string, now: string, limit: number): Promise<DueText[]> {
    return this.gate.run(() => (this.sql.due!.all(project, now, limit) as OutboxTextRecord[]).flatMap(toDueText));
  }

  /** Pending texts of projects this deployment does not configure (any more): nothing could send them. */
  textsOutside(projects: readonly string[]): Promise<DueText[]> {
    return this.gate.run(() => (this.sql.outside!.all(JSON.stringify(projects)) as OutboxTextRecord[]).flatMap(toDueText));
  }

  /**
   * Re-reads the row and the opt-out list in one transaction, just before sending: a STOP committed
   * after `dueTexts` ran still wins. An opted-out text is marked suppressed and never sent.
   */
  claim(id: number): Promise<Claim> {
    return this.gate.run(() => {
      return this.db.transaction((): Claim => {
        const row = this.sql.claim!.get(id) as OutboxTextRecord | undefined;
        if (row === undefined || row.status !== 'pending') return { kind: 'gone' };
        if (row.opted_out === 1) {
          this.sql.suppress!.run(id);
          return { kind: 'suppressed' };
        }
        const [text] = toDueText(row);
        return text === undefined ? { kind: 'gone' } : { kind: 'send', text };
      }).immediate();
    });
  }

  /** One process sends from a SQLite file, so its claims hold no lease: nothing to end. */
  async release(_id: number): Promise<void> {}

  markSent(id: number, providerMessageId: string, deliveryStatus: string, at: string): Promise<void> {
    return this.write(() => void this.sql.markSent!.run(providerMessageId, deliveryStatus, at, id));
  }

  scheduleRetry(id: number, nextAttemptAt: string, error: string): Promise<void> {
    return this.write(() => void this.sql.retry!.run(nextAttemptAt, error, id));
  }

  markFailed(id: number, error: string, errorCode: number | null): Promise<void> {
    return this.write(() => void this.sql.fail!.run(error, errorCode, id));
  }

  /** Records a status callback; returns the text it belongs to, or undefined for an unknown SID. */
  recordStatus(providerMessageId: string, status: string, errorCode: number | null, at: string): Promise<SentText | undefined> {
    return this.write(() => {
      const row = this.sql.findBySid!.get(providerMessageId) as Omit<OutboxTextRecord, 'payload'> | undefined;
      if (row === undefined) return undefined;
      this.sql.recordStatus!.run(status, errorCode, at, row.id);
      return { id: row.id, conversationId: row.conversation_id, project: row.project, phone: row.phone };
    });
  }

  /** Twilio's latest word on a text, for the admin API and tests. */
  deliveryOf(id: number): { status: string | null; sid: string | null; error: number | null } | undefined {
    return this.sql.deliveryOf!.get(id) as { status: string | null; sid: string | null; error: number | null } | undefined;
  }
}

function toDueText(row: OutboxTextRecord): DueText[] {
  if (row.phone === null) return [];
  return [{
    id: row.id, conversationId: row.conversation_id, project: row.project, phone: row.phone,
    payload: JSON.parse(row.payload) as unknown, attempts: row.attempts, recordId: row.record_id,
  }];
}

function prepareAll(db: Database): Record<string, Statement> {
  const optedOut = `EXISTS (SELECT 1 FROM opt_outs x WHERE x.project = o.project AND x.phone = o.phone)`;
  const recordId = `(SELECT c.record_id FROM conversations c WHERE c.id = o.conversation_id)`;
  const statements = {
    due: `SELECT o.*, ${optedOut} AS opted_out, ${recordId} AS record_id FROM outbox o
      WHERE o.channel = 'sms' AND o.status = 'pending' AND o.project = ? AND o.next_attempt_at <= ?
        AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.project = o.project AND e.phone = o.phone
          AND e.channel = 'sms' AND e.status = 'pending' AND e.id < o.id)
      ORDER BY o.next_attempt_at, o.id LIMIT ?`,
    outside: `SELECT o.*, 0 AS opted_out, ${recordId} AS record_id FROM outbox o
      WHERE o.channel = 'sms' AND o.status = 'pending' AND o.project NOT IN (SELECT value FROM json_each(?)) ORDER BY o.id`,
    claim: `SELECT o.*, ${optedOut} AS opted_out, ${recordId} AS record_id FROM outbox o WHERE o.id = ? AND o.channel = 'sms'`,
    suppress: `UPDATE outbox SET status = 'suppressed', last_error = 'opted out' WHERE id = ?`,
    markSent: `UPDATE outbox SET status = 'sent', provider_message_id = ?, delivery_status = ?,
      delivery_updated_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?`,
    retry: `UPDATE outbox SET next_attempt_at = ?, last_error = ?, attempts = attempts + 1 WHERE id = ?`,
    fail: `UPDATE outbox SET status = 'failed', last_error = ?, delivery_error = ?, attempts = attempts + 1 WHERE id = ?`,
    findBySid: 'SELECT id, conversation_id, project, phone, attempts, status FROM outbox WHERE provider_message_id = ?',
    // Callbacks can arrive out of order; a final status is never overwritten by an earlier one.
    recordStatus: `UPDATE outbox SET delivery_status = ?, delivery_error = ?, delivery_updated_at = ? WHERE id = ?
      AND (delivery_status IS NULL OR delivery_status NOT IN ('delivered', 'undelivered', 'failed', 'read', 'canceled'))`,
    deliveryOf: `SELECT delivery_status AS status, provider_message_id AS sid, delivery_error AS error FROM outbox WHERE id = ?`,
  };
  return Object.fromEntries(Object.entries(statements).map(([name, sql]) => [name, db.prepare(sql)]));
}
