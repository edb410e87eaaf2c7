import type pg from 'pg';
import type { InboundCopyQuery, InboundHistory } from '../../ports/storage/inbound-history.js';

/**
 * The stored inbound texts on PostgreSQL: the latest copy and whether a text went to the phone since, in one
 * query. The prefix is a LIKE pattern on the byte-wise index of migration 0006.
 */
export class PostgresInboundHistory implements InboundHistory {
  constructor(private readonly pool: pg.Pool) {}

  async unansweredCopy(query: InboundCopyQuery): Promise<boolean> {
    const { rows } = await this.pool.query<{ unanswered: boolean }>(
      `WITH copy AS (
         SELECT max(received_at) AS at FROM inbound_messages
         WHERE provider = $1 AND provider_message_id LIKE $2 AND project = $3 AND received_at >= $4)
       SELECT copy.at IS NOT NULL AND NOT EXISTS (
         SELECT 1 FROM outbox WHERE project = $3 AND phone = $5 AND channel = 'sms' AND status = 'sent' AND delivery_updated_at >= copy.at
       ) AS unanswered FROM copy`,
      [query.provider, `${query.idPrefix.replace(/[\\%_]/g, '\\$&')}%`, query.project, query.since, query.phone],
    );
    return rows[0]?.unanswered === true;
  }
}
