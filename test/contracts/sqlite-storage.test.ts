import { sqliteDashboardQueries } from '../../src/adapters/admin/dashboard-queries.js';
import { sqliteAdminQueries } from '../../src/adapters/admin/sqlite-admin-queries.js';
import { SqliteDeliveryStore } from '../../src/adapters/delivery/sqlite-delivery-store.js';
import { SqliteEraseStore } from '../../src/adapters/delivery/sqlite-erase-store.js';
import { InProcessSenderPace } from '../../src/adapters/delivery/in-process-sender-pace.js';
import { SqliteRedcapSyncStore } from '../../src/adapters/storage/redcap-sync-store.js';
import { openDatabase, SqliteStore } from '../../src/adapters/storage/index.js';
import { SqliteInboundHistory } from '../../src/adapters/storage/inbound-history.js';
import { SqliteSimulatorPhones } from '../../src/adapters/storage/simulator-phones.js';
import { sqliteEngineStorage } from '../../src/composition/engine-storage.js';
import { describeStorageContract } from './storage-contract.js';

describeStorageContract('SQLite', async () => {
  const db = openDatabase(':memory:', { now: new Date('2026-03-02T15:00:00Z') });
  return {
    conversations: new SqliteStore(db), delivery: new SqliteDeliveryStore(db), pace: new InProcessSenderPace(), sync: new SqliteRedcapSyncStore(db),
    erase: new SqliteEraseStore(db), admin: sqliteAdminQueries(db), dashboard: sqliteDashboardQueries(db),
    inboundHistory: new SqliteInboundHistory(db), simulatorPhones: new SqliteSimulatorPhones(db), close: async () => void db.close(),
  };
});

// As the engine composes it: the delivery store's writes are units of the connection's group commit (decision 0072).
describeStorageContract('SQLite with delivery writes in the group commit', async () =>
  sqliteEngineStorage(openDatabase(':memory:', { now: new Date('2026-03-02T15:00:00Z') })));
