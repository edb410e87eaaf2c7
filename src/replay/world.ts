import { FakeClock, sequentialIds } from '../adapters/clock.js';
import { openDatabase, SqliteStore } from '../adapters/storage/index.js';
import type { ConversationStore } from '../ports/storage/conversation-store.js';
import type { ConversationDeps } from '../use-cases/index.js';
import { fireDueTimers } from '../use-cases/index.js';
import { settingsInEveryLanguage, type ConversationSettings } from '../conversation/index.js';
import type { RecordData } from '../logic/index.js';
import { NO_LANGUAGES, type Languages } from '../languages/index.js';
import type { Catalog } from '../messages/catalog.js';

export const REPLAY_PROJECT = 'replay';

/** The storage a world runs on: an in-memory SQLite database unless a test injects another (PostgreSQL). */
export interface ReplayStorage {
  readonly store: ConversationStore;
  close(): void | Promise<void>;
}

/** Opens empty storage for one world, migrated as of `now`. */
export type ReplayStorageFactory = (now: Date) => Promise<ReplayStorage>;

/** The default: a fresh in-memory SQLite database. */
export function inMemorySqlite(now: Date): ReplayStorage {
  const db = openDatabase(':memory:', { now });
  return {
    store: new SqliteStore(db),
    close() {
      db.close();
    },
  };
}

/**
 * A deterministic world for one fixture: empty storage (in-memory SQLite by default), a fake clock, sequential ids, and
 * fakes at the edges — a participant's phone that receives texts, and a REDCap record that receives writes.
 */
export class ReplayWorld {
  readonly store: ConversationStore;
  private readonly storage: ReplayStorage;
  readonly clock: FakeClock;
  readonly deps: ConversationDeps;
  /** What REDCap holds for the record: the fixture's data plus every write dispatched. */
  readonly redcap: RecordData;
  /** Texts delivered to the participant and not yet matched by an `expect` step. */
  readonly inbox: string[] = [];
  private messageCount = 0;

  constructor(
    start: string, settings: ConversationSettings, catalog: Catalog, record: RecordData, languages: Languages = NO_LANGUAGES,
    storage: ReplayStorage = inMemorySqlite(new Date(start)),
  ) {
    const everyLanguage = settingsInEveryLanguage(settings, languages);
    this.clock = new FakeClock(start);
    this.storage = storage;
    this.store = storage.store;
    this.deps = { store: this.store, clock: this.clock, newId: sequentialIds('conv-'), project: () => ({ settings: everyLanguage, catalog, languages }) };
    this.redcap = { ...record };
  }

  nextMessageId(): string {
    this.messageCount += 1;
    return `SM${String(this.messageCount).padStart(6, '0')}`;
  }

  /** A stand-in for the outbox dispatcher: due texts reach the phone unless it opted out; writes reach REDCap. */
  async dispatch(): Promise<void> {
    for (const row of await this.store.dueOutbox(this.clock.now().toISOString())) {
      if (row.channel === 'redcap') {
        Object.assign(this.redcap, (row.payload as { values: RecordData }).values);
        await this.store.markOutbox(row.id, 'sent');
      } else if (row.phone !== null && row.kind !== 'opted-out' && await this.store.isOptedOut(row.project, row.phone)) {
        await this.store.markOutbox(row.id, 'suppressed');
      } else {
        this.inbox.push((row.payload as { body: string }).body);
        await this.store.markOutbox(row.id, 'sent');
      }
    }
  }

  /** Moves the clock forward, stopping at every due timer and deferred text on the way, in order. */
  async advance(ms: number): Promise<void> {
    const target = this.clock.now().getTime() + ms;
    for (let guard = 0; guard < 10_000; guard += 1) {
      const next = await this.nextEventAt();
      if (next === undefined || next > target) break;
      this.clock.set(new Date(Math.max(next, this.clock.now().getTime())));
      await this.settle();
    }
    this.clock.set(new Date(target));
    await this.settle();
  }

  async settle(): Promise<void> {
    await fireDueTimers(this.deps);
    await this.dispatch();
  }

  private async nextEventAt(): Promise<number | undefined> {
    const times = [await this.store.nextTimerDue(), await this.store.nextOutboxDue()]
      .filter((at): at is string => at !== undefined)
      .map((at) => Date.parse(at));
    return times.length === 0 ? undefined : Math.min(...times);
  }

  async close(): Promise<void> {
    await this.storage.close();
  }
}
