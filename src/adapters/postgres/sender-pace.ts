import type pg from 'pg';
import type { PaceGrant, SenderPace, SenderRate } from '../../ports/storage/sender-pace.js';

/**
 * The senders' rates on PostgreSQL, shared by every instance (decision 0059): a row per sender, taken and
 * given back by one statement (`pace_sender`, migration 0004) under the row's lock, on the database's clock.
 * The caller's `now` is not read: instances' clocks differ.
 */
export class PostgresSenderPace implements SenderPace {
  constructor(private readonly pool: pg.Pool) {}

  async reserve(sender: string, rate: SenderRate, wanted: number, _now: Date): Promise<PaceGrant> {
    const { rows } = await this.pool.query<{ granted: number; wait_ms: number; reserved_at: string }>(
      'SELECT granted, wait_ms, reserved_at FROM pace_sender($1, $2, $3, $4, NULL)',
      [sender, rate.perSecond, rate.capacity, Math.max(0, Math.floor(wanted))],
    );
    const row = rows[0]!;
    return { granted: row.granted, waitMs: Math.ceil(row.wait_ms), reservedAt: row.reserved_at };
  }

  async giveBack(sender: string, rate: SenderRate, unused: number, reservedAt: string, _now: Date): Promise<void> {
    if (unused <= 0) return;
    await this.pool.query('SELECT granted FROM pace_sender($1, $2, $3, $4, $5)', [
      sender, rate.perSecond, rate.capacity, -Math.floor(unused), reservedAt,
    ]);
  }
}
