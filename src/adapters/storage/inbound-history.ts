import type { Database, Statement } from 'better-sqlite3';
import type { InboundCopyQuery, InboundHistory } from '../../ports/storage/inbound-history.js';
import { gateOf, type DatabaseGate } from './database-gate.js';

/**
 * The stored inbound texts on SQLite, read through the connection's gate. With the engine thread this is the
 * HTTP thread's read-only connection: it only reads.
 */
export class SqliteInboundHistory implements InboundHistory {
  private readonly latestCopy: Statement;
  private readonly sentSince: Statement;
  private readonly gate: DatabaseGate;

  constructor(db: Database) {
    // A range on the UNIQUE (provider, provider_message_id) index finds the copies by prefix.
    this.latestCopy = db.prepare(`SELECT received_at AS at FROM inbound_messages
      WHERE provider = ? AND provider_message_id >= ? AND provider_message_id < ? AND project = ? AND received_at >= ?
      ORDER BY received_at DESC LIMIT 1`);
    this.sentSince = db.prepare(`SELECT 1 FROM outbox WHERE project = ? AND phone = ? AND channel = 'sms'
      AND status = 'sent' AND delivery_updated_at >= ? LIMIT 1`);
    this.gate = gateOf(db);
  }

  unansweredCopy(query: InboundCopyQuery): Promise<boolean> {
    return this.gate.run(() => {
      const earlier = this.latestCopy.get(query.provider, query.idPrefix, prefixEnd(query.idPrefix), query.project, query.since) as { at: string } | undefined;
      return earlier !== undefined && this.sentSince.get(query.project, query.phone, earlier.at) === undefined;
    });
  }
}

/** The least string above every string that starts with `prefix` (its last character moved up by one). */
function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}
