import type pg from 'pg';
import type { Claim, DeliveryStore, DueText, SentText } from '../../ports/storage/delivery-store.js';
import { DEFAULT_CLAIM_LEASE_SECONDS, claimLease } from './records.js';
import { inTransaction } from './session.js';

interface OutboxTextRecord {
  id: number; conversation_id: string | null; project: string; phone: string | null; payload: unknown;
  attempts: number; status: string; opted_out: boolean; leased: boolean; record_id: string | null;
}

const OPTED_OUT = 'EXISTS (SELECT 1 FROM opt_outs x WHERE x.project = o.project AND x.phone = o.phone)';
const RECORD_ID = '(SELECT c.record_id FROM conversations c WHERE c.id = o.conversation_id)';
const UNLEASED = '(o.lease_until IS NULL OR o.lease_until <= clock_timestamp())';

/**
 * The outbox's texts on PostgreSQL. A text is claimed just before its send, in a transaction of its own:
 * its row locked (SKIP LOCKED: a text another instance is claiming is `gone` for this one), the opt-out
 * list read again, and the text leased to this instance; sent, retried or failed, the lease ends. An
 * instance that dies between claim and send leaves a lease that runs out, and the text goes (at least once).
 */
export class PostgresDeliveryStore implements DeliveryStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly leaseSeconds = DEFAULT_CLAIM_LEASE_SECONDS,
  ) {}

  async dueTexts(project: string, now: string, limit: number): Promise<DueText[]> {
    const { rows } = await this.pool.query<OutboxTextRecord>(
      `SELECT o.*, ${RECORD_ID} AS record_id FROM outbox o
       WHERE o.channel = 'sms' AND o.status = 'pending' AND o.project = $1 AND o.next_attempt_at <= $2 AND ${UNLEASED}
         AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.project = o.project AND e.phone = o.phone
           AND e.channel = 'sms' AND e.status = 'pending' AND e.id < o.id)
       ORDER BY o.next_attempt_at, o.id LIMIT $3`,
      [project, now, limit],
    );
    return rows.flatMap(toDueText);
  }

  async textsOutside(projects: readonly string[]): Promise<DueText[]> {
    const { rows } = await this.pool.query<OutboxTextRecord>(
      `SELECT o.*, ${RECORD_ID} AS record_id FROM outbox o
       WHERE o.channel = 'sms' AND o.status = 'pending' AND o.project <> ALL($1::text[]) ORDER BY o.id`,
      [projects],
    );
    return rows.flatMap(toDueText);
  }

  claim(id: number): Promise<Claim> {
    return inTransaction(this.pool, async (session): Promise<Claim> => {
      const { rows } = await session.query<OutboxTextRecord>(
        `SELECT o.*, ${OPTED_OUT} AS opted_out, NOT ${UNLEASED} AS leased, ${RECORD_ID} AS record_id
         FROM outbox o WHERE o.id = $1 AND o.channel = 'sms' FOR UPDATE OF o SKIP LOCKED`,
        [id],
      );
      const row = rows[0];
      if (row === undefined || row.status !== 'pending' || row.leased) return { kind: 'gone' };
      if (row.opted_out) {
        await session.query(`UPDATE outbox SET status = 'suppressed', last_error = 'opted out' WHERE id = $1`, [id]);
        return { kind: 'suppressed' };
      }
      const [text] = toDueText(row);
      if (text === undefined) return { kind: 'gone' };
      await session.query(`UPDATE outbox SET lease_until = clock_timestamp() + ${claimLease(this.leaseSeconds)} WHERE id = $1`, [id]);
      return { kind: 'send', text };
    });
  }

  async release(id: number): Promise<void> {
    await this.pool.query(`UPDATE outbox SET lease_until = NULL WHERE id = $1 AND status = 'pending'`, [id]);
  }

  async markSent(id: number, providerMessageId: string, deliveryStatus: string, at: string): Promise<void> {
    await this.pool.query(
      `UPDATE outbox SET status = 'sent', provider_message_id = $2, delivery_status = $3, delivery_updated_at = $4,
         attempts = attempts + 1, last_error = NULL, lease_until = NULL WHERE id = $1`,
      [id, providerMessageId, deliveryStatus, at],
    );
  }

  async scheduleRetry(id: number, nextAttemptAt: string, error: string): Promise<void> {
    await this.pool.query('UPDATE outbox SET next_attempt_at = $2, last_error = $3, attempts = attempts + 1, lease_until = NULL WHERE id = $1', [
      id, nextAttemptAt, error,
    ]);
  }

  async markFailed(id: number, error: string, errorCode: number | null): Promise<void> {
    await this.pool.query(
      `UPDATE outbox SET status = 'failed', last_error = $2, delivery_error = $3, attempts = attempts + 1, lease_until = NULL WHERE id = $1`,
      [id, error, errorCode],
    );
  }

  /** Callbacks can arrive out of order; a final status is never overwritten by an earlier one. */
  async recordStatus(providerMessageId: string, status: string, errorCode: number | null, at: string): Promise<SentText | undefined> {
    const { rows } = await this.pool.query<{ id: number; conversation_id: string | null; project: string; phone: string | null }>(
      `WITH text AS (SELECT id, conversation_id, project, phone FROM outbox WHERE provider_message_id = $1),
       updated AS (
         UPDATE outbox SET delivery_status = $2, delivery_error = $3, delivery_updated_at = $4
         WHERE id = (SELECT id FROM text)
           AND (delivery_status IS NULL OR delivery_status NOT IN ('delivered', 'undelivered', 'failed', 'read', 'canceled')))
       SELECT * FROM text`,
      [providerMessageId, status, errorCode, at],
    );
    const row = rows[0];
    return row === undefined ? undefined : { id: row.id, conversationId: row.conversation_id, project: row.project, phone: row.phone };
  }
}

function toDueText(row: OutboxTextRecord): DueText[] {
  if (row.phone === null) return [];
  return [{
    id: row.id, conversationId: row.conversation_id, project: row.project, phone: row.phone, payload: row.payload,
    attempts: row.attempts, recordId: row.record_id,
  }];
}
