import type { Database, Statement } from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { FakeClock, sequentialIds } from '../../src/adapters/clock.js';
import { openDatabase, SqliteStore } from '../../src/adapters/storage/index.js';
import { conversationSettings } from '../../src/conversation/index.js';
import { handleInbound, invite, type ConversationDeps } from '../../src/use-cases/index.js';
import { demoSurvey } from '../conversation/demo-survey.js';

/** A database whose statements note their SQL each time they run, so a test can tell what a use case ran. */
function recordingDatabase(db: Database, ran: Set<string>): Database {
  const watch = (sql: string, statement: Statement): Statement => new Proxy(statement, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== 'function') return value;
      // raw(), pluck() and expand() hand back the statement itself: the watched one, here.
      if (['raw', 'pluck', 'expand'].includes(String(property))) return (...parameters: unknown[]) => watch(sql, (value as (...args: unknown[]) => Statement).apply(target, parameters));
      if (!['run', 'get', 'all', 'iterate'].includes(String(property))) return value.bind(target);
      return (...parameters: unknown[]) => {
        ran.add(sql);
        return (value as (...args: unknown[]) => unknown).apply(target, parameters);
      };
    },
  });
  return new Proxy(db, {
    get(target, property) {
      if (property === 'prepare') return (sql: string) => watch(sql, target.prepare(sql));
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** SQLite's plan for `sql`, every parameter bound to a placeholder value. */
function planOf(db: Database, sql: string): string[] {
  const named = Object.fromEntries([...sql.matchAll(/@(\w+)/g)].map((match) => [match[1], 'x']));
  const positional = (sql.match(/\?/g) ?? []).map(() => 'x');
  const explain = db.prepare(`EXPLAIN QUERY PLAN ${sql}`);
  const rows = (Object.keys(named).length > 0 ? explain.all(named) : explain.all(...positional)) as { detail: string }[];
  return rows.map((row) => row.detail);
}

/** Every statement a run of inbound texts executed: answers, a wrong answer, keywords, a stranger, a retry. */
async function statementsOfInboundTexts(): Promise<{ db: Database; ran: Set<string> }> {
  const db = openDatabase(':memory:');
  const ran = new Set<string>();
  const store = new SqliteStore(recordingDatabase(db, ran));
  const deps: ConversationDeps = {
    store, clock: new FakeClock('2026-03-02T15:00:00Z'), newId: sequentialIds(),
    project: () => ({ settings: conversationSettings({ reminders: ['PT4H'], expiry: 'P1D' }), catalog: {} }),
  };
  const survey = demoSurvey();
  for (const [recordId, phone] of [['1', '+15555550101'], ['2', '+15555550102']] as const) {
    await invite(deps, { project: 'p', survey, instrument: 'daily', recordId, phone, record: { record_id: recordId } });
  }
  ran.clear();
  const texts = [
    ['+15555550101', '1'], ['+15555550101', '9'], ['+15555550101', 'HELP'], ['+15555550101', 'BACK'], ['+15555550101', 'STOP'],
    ['+15555550101', 'START'], ['+15555550102', '1'], ['+15555550199', 'hello'], ['+15555550102', '7'],
  ];
  for (const [k, [from, body]] of texts.entries()) {
    await handleInbound(deps, { provider: 'twilio', providerMessageId: `SM${k}`, project: 'p', from: from!, body: body! });
  }
  await handleInbound(deps, { provider: 'twilio', providerMessageId: 'SM0', project: 'p', from: '+15555550101', body: '1' });
  return { db, ran };
}

// Top-level: the statements name the table-driven cases, so they must be known when the tests are collected.
const { db, ran } = await statementsOfInboundTexts();
const statements = [...ran];

describe('the statements of the inbound path', () => {

  it('when texts of every kind arrive, then the unit of work runs the statements a text needs', () => {
    expect(statements.some((sql) => sql.startsWith('INSERT INTO inbound_messages'))).toBe(true);
    expect(statements.some((sql) => sql.includes('FROM conversations WHERE project = ? AND phone = ? AND open = 1'))).toBe(true);
    expect(statements.some((sql) => sql.startsWith('UPDATE conversations'))).toBe(true);
    expect(statements.some((sql) => sql.startsWith('INSERT INTO outbox'))).toBe(true);
    expect(statements.length).toBeGreaterThanOrEqual(10);
  });

  // A statement that scans a table or sorts in a temporary tree costs more the more conversations,
  // texts and timers are stored: 100,000 stored conversations must not slow a text (issue 28).
  it.each(statements.map((sql) => [sql.replace(/\s+/g, ' ').slice(0, 70), sql] as const))(
    'when "%s…" runs on the inbound path, then it searches an index and sorts nothing',
    (_name, sql) => {
      const plan = planOf(db, sql);
      expect(plan.filter((detail) => /^SCAN |TEMP B-TREE/.test(detail))).toEqual([]);
    },
  );
});
