import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { applyMigrations, openDatabase, readMigrations, SqliteStore } from '../../src/adapters/storage/index.js';
import { MACHINE_VERSION, SNAPSHOT_FORMAT, type StepResult } from '../../src/conversation/index.js';
import type { ConversationRow } from '../../src/ports/storage/rows.js';
import { START } from '../conversation/demo-survey.js';
import { next, REPLIES, STEP_AT, steppedConversation, survey } from './answered-conversation.js';

const AT = STEP_AT.toISOString();

function conversationRow(snapshot: unknown, revision = 0): ConversationRow {
  return {
    id: 'c1', project: 'p', phone: START.phone, recordId: '1', instrument: 'daily', surveyVersion: survey.id,
    status: 'asking', open: true, active: true, snapshot, snapshotFormat: SNAPSHOT_FORMAT, machineVersion: MACHINE_VERSION,
    revision, createdAt: AT, updatedAt: AT,
  };
}

async function freshStore(db = openDatabase(':memory:', { now: STEP_AT })): Promise<SqliteStore> {
  const store = new SqliteStore(db);
  await store.saveSurvey(survey, AT);
  return store;
}

/** Steps the stored conversation once, as step-conversation.ts does: read, step, save what the step says it changed. */
async function stepStored(store: SqliteStore, text: string): Promise<StepResult> {
  return store.transaction(async (tx) => {
    const row = (await tx.conversation('c1'))!;
    const result = next(row.snapshot, text);
    await tx.updateConversation({ ...row, snapshot: result.snapshot }, row.revision, row, result.changes);
    return result;
  });
}

const count = (db: Database.Database, table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
const storedText = (db: Database.Database) => (db.prepare("SELECT snapshot FROM conversations WHERE id = 'c1'").get() as { snapshot: string }).snapshot;

describe("a conversation's answers as rows (SQLite)", () => {
  it('when a conversation is answered, taken BACK and answered again, then every read is the snapshot the step wrote, also by a store that kept nothing', async () => {
    const [invited] = steppedConversation([]);
    const store = await freshStore();
    await store.insertConversation(conversationRow(invited!.snapshot));
    for (const text of REPLIES) {
      const result = await stepStored(store, text);
      expect(JSON.stringify((await store.conversation('c1'))?.snapshot)).toBe(JSON.stringify(result.snapshot));
      const cold = new SqliteStore(store.db);
      expect(JSON.stringify((await cold.conversation('c1'))?.snapshot)).toBe(JSON.stringify(result.snapshot));
    }
  });

  it("when more answers are given, then the stored snapshot's text does not grow with them: the answers are rows", async () => {
    const [invited] = steppedConversation([]);
    const store = await freshStore();
    await store.insertConversation(conversationRow(invited!.snapshot));
    const lengths: number[] = [];
    for (const text of ['2', '7', '99', 'no', 'true']) {
      await stepStored(store, text);
      lengths.push(storedText(store.db).length);
    }
    expect(Math.max(...lengths) - Math.min(...lengths)).toBeLessThanOrEqual(12);
    expect(storedText(store.db)).toContain('"record":"rows"');
    expect(count(store.db, 'conversation_answered')).toBe(5);
  });

  it('when one more answer is saved after several, then the save writes that step\'s rows only, not every answer again', async () => {
    const results = steppedConversation(['2', '7', '99', 'no']);
    const store = await freshStore();
    await store.insertConversation(conversationRow(results.at(-1)!.snapshot));
    store.db.exec(`CREATE TEMP TABLE written (tbl TEXT);
      CREATE TEMP TRIGGER answer_inserted AFTER INSERT ON conversation_answers BEGIN INSERT INTO written VALUES ('answers'); END;
      CREATE TEMP TRIGGER answer_updated AFTER UPDATE ON conversation_answers BEGIN INSERT INTO written VALUES ('answers'); END;
      CREATE TEMP TRIGGER answered_inserted AFTER INSERT ON conversation_answered BEGIN INSERT INTO written VALUES ('answered'); END;`);
    const before = count(store.db, 'conversation_answers');
    const result = await stepStored(store, 'true');
    expect(before).toBeGreaterThan(4);
    expect(Object.keys(result.changes.record).length).toBeLessThan(before);
    expect(store.db.prepare('SELECT tbl, COUNT(*) AS n FROM written GROUP BY tbl ORDER BY tbl').all()).toEqual([
      { tbl: 'answered', n: 1 },
      { tbl: 'answers', n: Object.keys(result.changes.record).length },
    ]);
  });

  it("when a save of answers is rolled back and another connection saves other answers at that revision, then the store reads the other's", async () => {
    const results = steppedConversation(['2']);
    const store = await freshStore();
    await store.insertConversation(conversationRow(results.at(-1)!.snapshot));
    const row = (await store.conversation('c1'))!;
    const [mine, theirs] = [next(row.snapshot, '7'), next(row.snapshot, '8')];
    await expect(store.transaction(async (tx) => {
      await tx.updateConversation({ ...row, snapshot: mine.snapshot }, 0, row, mine.changes);
      throw new Error('the unit of work failed');
    })).rejects.toThrow('the unit of work failed');
    await new SqliteStore(store.db).updateConversation({ ...row, snapshot: theirs.snapshot }, 0, row, theirs.changes);
    expect(JSON.stringify((await store.conversation('c1'))?.snapshot)).toBe(JSON.stringify(theirs.snapshot));
  });

  it('when a conversation is deleted, then its answer rows go with it', async () => {
    const results = steppedConversation(['2', '7']);
    const store = await freshStore();
    await store.insertConversation(conversationRow(results.at(-1)!.snapshot));
    expect(count(store.db, 'conversation_answers')).toBeGreaterThan(0);
    store.db.prepare("DELETE FROM conversations WHERE id = 'c1'").run();
    expect([count(store.db, 'conversation_answers'), count(store.db, 'conversation_answered')]).toEqual([0, 0]);
  });

  it('when a conversation was stored with its answers in the snapshot (before migration 0017), then after the migration it reads the same and carries on as it would have', async () => {
    const results = steppedConversation(['2', '7', 'back', '8']);
    const old = results.at(-1)!.snapshot;
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    const migrations = readMigrations();
    applyMigrations(db, migrations.filter((m) => m.version < 17), STEP_AT);
    db.prepare('INSERT INTO survey_versions (id, definition, created_at) VALUES (?, ?, ?)').run(survey.id, JSON.stringify(survey), AT);
    db.prepare(`INSERT INTO conversations (id, project, phone, record_id, instrument, survey_version, status, open, active, snapshot,
      snapshot_format, machine_version, revision, created_at, updated_at) VALUES ('c1', 'p', ?, '1', 'daily', ?, 'asking', 1, 1, ?, ?, ?, 3, ?, ?)`)
      .run(START.phone, survey.id, JSON.stringify(old), SNAPSHOT_FORMAT, MACHINE_VERSION, AT, AT);

    expect(applyMigrations(db, migrations, STEP_AT)).toContain(17);
    expect(JSON.stringify(old)).toContain('"sleep_hours":"8"');
    expect(storedText(db)).not.toContain('"sleep_hours":"8"');
    expect(storedText(db)).toContain('"record":"rows"');
    const store = new SqliteStore(db);
    expect(JSON.stringify((await store.conversation('c1'))?.snapshot)).toBe(JSON.stringify(old));
    const carriedOn = await stepStored(store, '99');
    expect(carriedOn).toEqual(next(old, '99'));
    expect(JSON.stringify((await new SqliteStore(db).conversation('c1'))?.snapshot)).toBe(JSON.stringify(next(old, '99').snapshot));
  });
});
