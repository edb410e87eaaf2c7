import type { Database, Statement } from 'better-sqlite3';
import type { PhoneMessage, SimulatorPhones } from '../../ports/storage/simulator-phones.js';
import { gateOf, type DatabaseGate } from './database-gate.js';

/** The simulated handsets' texts on SQLite (migration 0004), through the connection's gate. */
export class SqliteSimulatorPhones implements SimulatorPhones {
  private readonly insert: Statement;
  private readonly byPhone: Statement;
  private readonly gate: DatabaseGate;

  constructor(db: Database) {
    this.insert = db.prepare('INSERT INTO simulator_messages (phone, direction, body, sid, at) VALUES (?, ?, ?, ?, ?)');
    this.byPhone = db.prepare('SELECT id, direction, body, sid, at FROM simulator_messages WHERE phone = ? AND id > ? ORDER BY id');
    this.gate = gateOf(db);
  }

  add(phone: string, message: Omit<PhoneMessage, 'id'>): Promise<void> {
    return this.gate.run(() => void this.insert.run(phone, message.direction, message.body, message.sid, message.at));
  }

  messages(phone: string, afterId = 0): Promise<PhoneMessage[]> {
    return this.gate.run(() => this.byPhone.all(phone, afterId) as PhoneMessage[]);
  }
}
