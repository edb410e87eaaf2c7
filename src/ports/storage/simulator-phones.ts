/** One text on a simulated handset. */
export interface PhoneMessage {
  readonly id: number;
  readonly direction: 'in' | 'out';
  readonly body: string;
  /** Its provider message id. */
  readonly sid: string;
  /** ISO-8601 UTC. */
  readonly at: string;
}

/**
 * The simulated handsets' message history (`SMS_PROVIDER=simulator`, the demo), kept in the service's
 * storage so a conversation survives a restart just as it does on a real phone.
 */
export interface SimulatorPhones {
  /** Stores a text on `phone`'s handset; its id is given by the storage. */
  add(phone: string, message: Omit<PhoneMessage, 'id'>): Promise<void>;
  /** The phone's texts after message `afterId`, oldest first. */
  messages(phone: string, afterId?: number): Promise<PhoneMessage[]>;
}
