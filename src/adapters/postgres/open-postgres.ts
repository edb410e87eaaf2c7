import type pg from 'pg';
import type { ProjectRegistry } from '../../config/projects.js';
import { postgresAdminQueries } from './admin-queries.js';
import type { AdminQueries, DashboardQueries, MetricsQueries } from '../../ports/storage/admin-reads.js';
import { connect, type PoolOptions } from './connection.js';
import { PostgresConversationStore } from './conversation-store.js';
import { postgresDashboardQueries } from './dashboard-queries.js';
import { PostgresDeliveryStore } from './delivery-store.js';
import { PostgresEraseStore } from './erase-store.js';
import { PostgresInboundHistory } from './inbound-history.js';
import { postgresMetricsQueries } from './metrics-queries.js';
import { applyPostgresMigrations, readPostgresMigrations } from './migrations.js';
import type { PostgresRedcapSyncStore } from './redcap-sync-store.js';
import { PostgresSimulatorPhones } from './simulator-phones.js';
import { DEFAULT_CLAIM_LEASE_SECONDS } from './records.js';
import { PostgresSenderPace } from './sender-pace.js';

/** Every storage port on one PostgreSQL database, migrated. */
export interface PostgresStorage {
  readonly pool: pg.Pool;
  readonly conversations: PostgresConversationStore;
  readonly delivery: PostgresDeliveryStore;
  /** The senders' rates, one row per sender shared by every instance. */
  readonly pace: PostgresSenderPace;
  /** The REDCap sync store on the pool; inside a unit of work use `tx.sync`. */
  readonly sync: PostgresRedcapSyncStore;
  readonly erase: PostgresEraseStore;
  readonly admin: AdminQueries;
  readonly dashboard: DashboardQueries;
  /** Mosio's repeat check reads the inbound texts here. */
  readonly inboundHistory: PostgresInboundHistory;
  /** The simulated handsets (SMS_PROVIDER=simulator). */
  readonly simulatorPhones: PostgresSimulatorPhones;
  /** The gauges of GET /metrics, for the configured projects' segment budgets. */
  metrics(projects: ProjectRegistry): MetricsQueries;
  close(): Promise<void>;
}

export interface PostgresStorageOptions {
  pool?: PoolOptions;
  migrationsDir?: string;
  now?: Date;
  /** How long a claimed timer, text, invitation or trigger stays this instance's (decision 0051); 120 s by default. */
  claimLeaseSeconds?: number;
}

/**
 * Connects (the URL redacted in any error), applies pending migrations under the migration lock, and builds
 * the stores. Several instances may call it at once.
 */
export async function openPostgresStorage(url: string, options: PostgresStorageOptions = {}): Promise<PostgresStorage> {
  const pool = await connect(url, options.pool);
  try {
    await applyPostgresMigrations(pool, readPostgresMigrations(options.migrationsDir), options.now ?? new Date());
  } catch (error) {
    await pool.end();
    throw error;
  }
  const leaseSeconds = options.claimLeaseSeconds ?? DEFAULT_CLAIM_LEASE_SECONDS;
  const conversations = new PostgresConversationStore(pool, undefined, undefined, leaseSeconds);
  return {
    pool,
    conversations,
    delivery: new PostgresDeliveryStore(pool, leaseSeconds),
    pace: new PostgresSenderPace(pool),
    sync: conversations.sync,
    erase: new PostgresEraseStore(pool),
    admin: postgresAdminQueries(pool),
    dashboard: postgresDashboardQueries(pool),
    inboundHistory: new PostgresInboundHistory(pool),
    simulatorPhones: new PostgresSimulatorPhones(pool),
    metrics: (projects) => postgresMetricsQueries(pool, projects),
    close: () => pool.end(),
  };
}
