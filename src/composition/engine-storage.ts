import type { Database } from 'better-sqlite3';
import { sqliteDashboardQueries } from '../adapters/admin/dashboard-queries.js';
import { sqliteMetricsQueries } from '../adapters/admin/metrics-queries.js';
import { sqliteAdminQueries } from '../adapters/admin/sqlite-admin-queries.js';
import { SqliteDeliveryStore } from '../adapters/delivery/sqlite-delivery-store.js';
import { SqliteEraseStore } from '../adapters/delivery/sqlite-erase-store.js';
import { InProcessSenderPace } from '../adapters/delivery/in-process-sender-pace.js';
import { openPostgresStorage, type PostgresStorage } from '../adapters/postgres/open-postgres.js';
import { readPostgresMigrations } from '../adapters/postgres/migrations.js';
import { postgresSegmentUsage } from '../adapters/postgres/segment-usage.js';
import { SegmentUsageStore, type SegmentUsage } from '../adapters/provider/segment-budget.js';
import { createSharedCommit } from '../adapters/storage/group-commit.js';
import { SqliteStore, openDatabase, readMigrations } from '../adapters/storage/index.js';
import { SqliteInboundHistory } from '../adapters/storage/inbound-history.js';
import { SqliteRedcapSyncStore } from '../adapters/storage/redcap-sync-store.js';
import { SqliteSimulatorPhones } from '../adapters/storage/simulator-phones.js';
import type { Config } from '../config/env.js';
import type { ProjectRegistry } from '../config/projects.js';
import type { AdminQueries, DashboardQueries, MetricsQueries } from '../ports/storage/admin-reads.js';
import type { ConversationStore } from '../ports/storage/conversation-store.js';
import type { DeliveryStore } from '../ports/storage/delivery-store.js';
import type { EraseStore } from '../ports/storage/erase-store.js';
import type { InboundHistory } from '../ports/storage/inbound-history.js';
import type { RedcapSyncStore } from '../ports/storage/redcap-sync-store.js';
import type { SenderPace } from '../ports/storage/sender-pace.js';
import type { SharedCommit } from '../ports/storage/shared-commit.js';
import type { SimulatorPhones } from '../ports/storage/simulator-phones.js';

/**
 * The one place the service's storage is chosen (decision 0054): SQLite at DATABASE_PATH, or PostgreSQL at
 * DATABASE_URL. Everything above it (engine, HTTP side, readiness, close) sees only the storage ports.
 */
export interface EngineStorage extends ProviderStorage {
  readonly kind: 'sqlite' | 'postgresql';
  readonly conversations: ConversationStore;
  readonly delivery: DeliveryStore;
  /** The senders' rates: in this process on SQLite, shared by every instance on PostgreSQL (decision 0059). */
  readonly pace: SenderPace;
  readonly sync: RedcapSyncStore;
  readonly erase: EraseStore;
  readonly admin: AdminQueries;
  readonly dashboard: DashboardQueries;
  metrics(projects: ProjectRegistry): MetricsQueries;
  readonly segments: SegmentUsage;
  /** Inbound texts and the write-back's marks in one commit: SQLite's group commit, a transaction on PostgreSQL. */
  readonly commit: SharedCommit;
  /** /readyz: a query works, every migration is applied. Never throws. */
  checks(): Promise<{ database: boolean; migrations: boolean }>;
  close(): Promise<void>;
}

/** What the SMS providers keep in the service's storage: Mosio's repeat check reads, the simulator's handsets. */
export interface ProviderStorage {
  readonly inboundHistory: InboundHistory;
  readonly simulatorPhones: SimulatorPhones;
}

/**
 * The providers' storage on a SQLite connection. The HTTP thread's read-only connection serves Mosio's
 * webhook: it only reads (the simulator, which writes, has no webhook).
 */
export function sqliteProviderStorage(db: Database): ProviderStorage {
  return { inboundHistory: new SqliteInboundHistory(db), simulatorPhones: new SqliteSimulatorPhones(db) };
}

/** SQLite on an open connection (the engine thread's, a test's in-memory database). */
export function sqliteEngineStorage(db: Database): EngineStorage {
  const conversations = new SqliteStore(db);
  const commit = createSharedCommit(conversations);
  return {
    kind: 'sqlite',
    conversations,
    delivery: new SqliteDeliveryStore(db, commit),
    pace: new InProcessSenderPace(),
    sync: new SqliteRedcapSyncStore(db),
    erase: new SqliteEraseStore(db),
    admin: sqliteAdminQueries(db),
    dashboard: sqliteDashboardQueries(db),
    metrics: (projects) => sqliteMetricsQueries(db, projects),
    segments: new SegmentUsageStore(db),
    commit,
    ...sqliteProviderStorage(db),
    checks: async () => ({
      database: safely(() => db.prepare('SELECT 1 AS one').get() !== undefined),
      migrations: safely(() => (db.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get() as { n: number }).n === readMigrations().length),
    }),
    async close() {
      if (db.open) db.close();
    },
  };
}

/**
 * PostgreSQL on its pool. Each unit of work is its own transaction: the server commits many at once, so
 * the shared commit needs no batching of ours.
 */
export function postgresEngineStorage(storage: PostgresStorage): EngineStorage {
  const expected = readPostgresMigrations().length;
  return {
    kind: 'postgresql',
    conversations: storage.conversations,
    delivery: storage.delivery,
    pace: storage.pace,
    sync: storage.sync,
    erase: storage.erase,
    admin: storage.admin,
    dashboard: storage.dashboard,
    metrics: (projects) => storage.metrics(projects),
    segments: postgresSegmentUsage(storage.pool),
    commit: (work) => storage.conversations.transaction(work),
    inboundHistory: storage.inboundHistory,
    simulatorPhones: storage.simulatorPhones,
    async checks() {
      const database = await storage.pool.query('SELECT 1 AS one').then(() => true, () => false);
      const migrations = await storage.pool.query<{ n: string }>('SELECT COUNT(*) AS n FROM schema_migrations')
        .then((result) => Number(result.rows[0]?.n) === expected, () => false);
      return { database, migrations };
    },
    close: () => storage.close(),
  };
}

/** The storage the configuration names: DATABASE_URL wins over DATABASE_PATH. PostgreSQL is migrated on open. */
export async function openEngineStorage(config: Config, now: Date): Promise<EngineStorage> {
  if (config.databaseUrl !== undefined) return postgresEngineStorage(await openPostgresStorage(config.databaseUrl, { now, claimLeaseSeconds: config.postgres.claimLeaseSeconds }));
  return sqliteEngineStorage(openSqlite(config, now));
}

/** The SQLite file at DATABASE_PATH, created and migrated. */
export function openSqlite(config: Config, now: Date): Database {
  return openDatabase(config.databasePath, {
    synchronous: config.sqlite.synchronous === 'NORMAL' || config.sqlite.synchronous === 'OFF' ? 'NORMAL' : 'FULL',
    busyTimeoutMs: config.sqlite.busyTimeoutMs,
    now,
  });
}

function safely(check: () => boolean): boolean {
  try {
    return check();
  } catch {
    return false;
  }
}
