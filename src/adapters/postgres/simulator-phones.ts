import type pg from 'pg';
import type { PhoneMessage, SimulatorPhones } from '../../ports/storage/simulator-phones.js';

/** The simulated handsets' texts on PostgreSQL: every instance sees every handset. */
export class PostgresSimulatorPhones implements SimulatorPhones {
  constructor(private readonly pool: pg.Pool) {}

  async add(phone: string, message: Omit<PhoneMessage, 'id'>): Promise<void> {
    await this.pool.query('INSERT INTO simulator_messages (phone, direction, body, sid, at) VALUES ($1, $2, $3, $4, $5)', [
      phone, message.direction, message.body, message.sid, message.at,
    ]);
  }

  async messages(phone: string, afterId = 0): Promise<PhoneMessage[]> {
    const { rows } = await this.pool.query<PhoneMessage>(
      'SELECT id, direction, body, sid, at FROM simulator_messages WHERE phone = $1 AND id > $2 ORDER BY id', [phone, afterId],
    );
    return rows;
  }
}
