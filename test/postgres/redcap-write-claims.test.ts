import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/adapters/clock.js';
import { createLogger } from '../../src/adapters/logging/logger.js';
import { openPostgresStorage, type PostgresStorage } from '../../src/adapters/postgres/open-postgres.js';
import { createRedcapClient } from '../../src/adapters/redcap/index.js';
import { createRedcapEmulator } from '../../src/demo/redcap-emulator/index.js';
import { parseDictionary } from '../../src/dictionary/index.js';
import { createRedcapWriter, type RedcapWriter } from '../../src/loops/redcap-write-back.js';
import { classicStudy, STUDY_CSV, TOKEN } from '../writeback/harness.js';
import { freshSchemas, MIGRATED_AT } from './fresh-storage.js';
import { eventually } from './service-instances.js';

/**
 * Decision 0063: two instances' write-backs on one database claim the pending REDCap rows, so each value is
 * imported once and one record's values land in the order they were queued. Each "instance" is a storage of its
 * own (its own pool) on the same schema with its own write-back loop, against the REDCap emulator, whose data log
 * lists what every import wrote.
 */
const schema = freshSchemas();
let cleanUp: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanUp?.();
  cleanUp = undefined;
});

const RECORDS = 8;
const WAVES = 12;
const survey = parseDictionary(STUDY_CSV).survey!;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('REDCap writes claimed by two instances on one PostgreSQL database', () => {
  it('when both write-backs run while answers keep coming, then every value is imported at most once, each record in its order, and REDCap ends with the newest', async () => {
    const url = await schema();
    const storages: PostgresStorage[] = [await openPostgresStorage(url, { now: MIGRATED_AT }), await openPostgresStorage(url, { now: MIGRATED_AT })];
    const emulator = createRedcapEmulator({ projects: [classicStudy({ records: Array.from({ length: RECORDS }, (_, i) => ({ record_id: String(i + 1) })) })] });
    const running = await emulator.listen();
    emulator.stall(15); // each import takes a moment, so rounds overlap and rows queue up behind them
    const landed = [0, 0];
    const writers: RedcapWriter[] = storages.map((storage, instance) => createRedcapWriter({
      store: storage.conversations, sync: storage.sync, projects: ['study'],
      redcap: () => createRedcapClient({ url: running.url, token: TOKEN, retries: 0, timeoutMs: 5_000 }),
      clock: systemClock, logger: createLogger({ level: 'silent' }), commit: (work) => storage.conversations.transaction(work),
      metrics: { redcapWrites: (_project, outcome, n) => void (outcome === 'landed' && (landed[instance]! += n)) },
      idleMs: 5,
    }));
    cleanUp = async () => {
      await Promise.all(writers.map((writer) => writer.stop()));
      await Promise.all(storages.map((storage) => storage.close()));
      await running.close();
    };

    const [a] = storages;
    await a!.conversations.saveSurvey(survey, MIGRATED_AT.toISOString());
    for (let record = 1; record <= RECORDS; record += 1) {
      await a!.conversations.insertConversation({
        id: `c${record}`, project: 'study', phone: `+1650380${3400 + record}`, recordId: String(record), instrument: 'daily',
        surveyVersion: survey.id, status: 'asking', open: true, active: true, snapshot: {}, snapshotFormat: 1, machineVersion: 1,
        revision: 0, createdAt: MIGRATED_AT.toISOString(), updatedAt: MIGRATED_AT.toISOString(),
      });
    }
    for (const writer of writers) writer.start();
    // Wave w writes sleep = w on every record (and a mood that cycles), from either instance, while both write back.
    for (let wave = 1; wave <= WAVES; wave += 1) {
      for (let record = 1; record <= RECORDS; record += 1) {
        const now = new Date().toISOString();
        await storages[(wave + record) % 2]!.conversations.enqueue({
          conversationId: `c${record}`, project: 'study', channel: 'redcap', kind: 'write', phone: null, status: 'pending',
          payload: { record: String(record), instrument: 'weekly', values: { sleep: String(wave), mood: String((wave % 3) + 1) } },
          nextAttemptAt: now, createdAt: now,
        });
      }
      await sleep(20);
    }
    await eventually(async () => (await a!.sync.pendingRedcapRows('study', 10)).length === 0, 'every write has landed', 30_000);

    const log = emulator.state.projects.get(TOKEN)!.dataLog;
    const imported = (record: number) => log.filter((write) => write.key.record === String(record)).map((write) => Number(write.values.sleep));
    for (let record = 1; record <= RECORDS; record += 1) {
      const values = imported(record);
      // Once each, oldest first: never an older value after a newer one.
      expect(values).toEqual([...new Set(values)].sort((x, y) => x - y));
      const stored = emulator.state.projects.get(TOKEN)!.records.list().find((row) => row.key.record === String(record))!;
      expect(Object.fromEntries(stored.values)).toMatchObject({ sleep: String(WAVES), mood: String((WAVES % 3) + 1) });
    }
    expect(landed.every((n) => n > 0)).toBe(true);
    expect(landed[0]! + landed[1]!).toBe(RECORDS * WAVES);
  }, 60_000);
});
