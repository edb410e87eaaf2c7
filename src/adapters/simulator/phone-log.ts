import { randomBytes } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';

/** One text on a simulated handset. */
export interface PhoneMessage {
  id: number;
  direction: 'in' | 'out';
  body: string;
  sid: string;
  at: string;
}

/**
 * The simulated handsets' message history (migration 0004), kept in the service's database so the
 * conversation survives a restart of the demo just as it does on a real phone.
 */
export class PhoneLog {
  private readonly insert: Statement;
  private readonly byPhone: Statement;

  constructor(db: Database) {
    this.insert = db.prepare('INSERT INTO simulator_messages (phone, direction, body, sid, at) VALUES (?, ?, ?, ?, ?)');
    this.byPhone = db.prepare('SELECT id, direction, body, sid, at FROM simulator_messages WHERE phone = ? AND id > ? ORDER BY id');
  }

  /** Stores a text and returns its new provider message id. */
  add(phone: string, direction: PhoneMessage['direction'], body: string, at: Date): string {
    const sid = `SM${randomBytes(16).toString('hex')}`;
    this.insert.run(phone, direction, body, sid, at.toISOString());
    return sid;
  }

  /** The phone's texts after message `afterId`, oldest first. */
  messages(phone: string, afterId = 0): PhoneMessage[] {
    return this.byPhone.all(phone, afterId) as PhoneMessage[];
  }
}
