import { describe, expect, it } from 'vitest';
import { sqliteDashboardQueries } from '../../src/adapters/admin/dashboard-queries.js';
import { sqliteDashboardTrends, trendWindow } from '../../src/adapters/admin/dashboard-trends.js';
import { openDatabase, SqliteStore } from '../../src/adapters/storage/index.js';
import type { ConversationRow } from '../../src/ports/storage/rows.js';
import { MACHINE_VERSION, SNAPSHOT_FORMAT } from '../../src/conversation/index.js';
import { demoSurvey } from '../conversation/demo-survey.js';
import { testWorld } from '../app/world.js';
import { plansOf } from './query-plans.js';

const NOW = new Date('2026-03-30T12:00:00.000Z');
const survey = demoSurvey();
/** The same instrument again under another version id, as after a dictionary edit. */
const edited = { ...survey, id: `${survey.id}-edited` };

interface Conversation {
  status: string;
  createdAt: string;
  updatedAt?: string;
  current?: string | null;
  instrument?: string;
  version?: string;
  replied?: boolean;
}

/** A store holding these conversations, each with a snapshot as the machine persists it (its context's current field). */
async function storeWith(conversations: readonly Conversation[]): Promise<SqliteStore> {
  const store = new SqliteStore(openDatabase(':memory:', { now: NOW }));
  await store.saveSurvey(survey, NOW.toISOString());
  await store.saveSurvey(edited, NOW.toISOString());
  await store.transaction(async (tx) => {
    for (const [i, c] of conversations.entries()) {
      const row: ConversationRow = {
        id: `c${i}`, project: 'p', phone: `+1555555${String(i).padStart(4, '0')}`, recordId: String(i), instrument: c.instrument ?? 'daily',
        surveyVersion: c.version ?? survey.id, status: c.status, open: !['completed', 'superseded'].includes(c.status), active: true,
        snapshot: { status: 'active', value: c.status, context: { current: c.current ?? null } }, snapshotFormat: SNAPSHOT_FORMAT,
        machineVersion: MACHINE_VERSION, revision: 0, createdAt: c.createdAt, updatedAt: c.updatedAt ?? c.createdAt,
      };
      await tx.insertConversation(row);
    }
  });
  // `replied` is the store's own flag (kept with the transcript head); set here directly.
  conversations.forEach((c, i) => c.replied === true && store.db.prepare('UPDATE conversations SET replied = 1 WHERE id = ?').run(`c${i}`));
  return store;
}

const trendsOf = async (conversations: readonly Conversation[]) => sqliteDashboardTrends((await storeWith(conversations)).db)(NOW);

describe('the dashboard trends', () => {
  it('when conversations were invited over several days, then each of the last 30 days has its invited, started and completed counts', async () => {
    const { days } = await trendsOf([
      { status: 'completed', createdAt: '2026-02-28T23:59:00.000Z', replied: true }, // the day before the window
      { status: 'asking', createdAt: '2026-03-01T00:00:00.000Z' },
      { status: 'completed', createdAt: '2026-03-30T08:00:00.000Z', replied: true },
      { status: 'asking', createdAt: '2026-03-30T09:00:00.000Z', replied: true },
      { status: 'expired', createdAt: '2026-03-30T10:00:00.000Z' },
    ]);

    expect(days).toHaveLength(30);
    expect(days[0]).toEqual({ day: '2026-03-01', invited: 1, started: 0, completed: 0 });
    expect(days[29]).toEqual({ day: '2026-03-30', invited: 3, started: 2, completed: 1 });
    expect(days.slice(1, 29).every((d) => d.invited === 0)).toBe(true);
  });

  it.each([
    { now: '2026-03-30T00:00:00.000Z', first: '2026-03-01', last: '2026-03-30' },
    { now: '2026-03-01T23:59:59.999Z', first: '2026-01-31', last: '2026-03-01' },
  ])('when it is $now, then the window runs from $first to $last (UTC)', ({ now, first, last }) => {
    const window = trendWindow(new Date(now));

    expect([window[0], window.at(-1), window.length]).toEqual([first, last, 30]);
  });

  it('when conversations completed after different times, then each falls in its bucket of time from invitation to completion', async () => {
    const completed = (minutes: number): Conversation => ({
      status: 'completed', createdAt: '2026-03-20T00:00:00.000Z', updatedAt: new Date(Date.parse('2026-03-20T00:00:00.000Z') + minutes * 60_000).toISOString(),
    });
    const { completionTimes } = await trendsOf([
      completed(2), completed(4.9), completed(5), completed(59), completed(60 * 24 * 2), completed(60 * 24 * 5),
      { status: 'asking', createdAt: '2026-03-20T00:00:00.000Z', updatedAt: '2026-03-20T00:01:00.000Z' },
    ]);

    expect(completionTimes).toEqual([
      { label: '< 5 min', count: 2 }, { label: '5–15 min', count: 1 }, { label: '15–60 min', count: 1 }, { label: '1–4 h', count: 0 },
      { label: '4–24 h', count: 0 }, { label: '1–3 days', count: 1 }, { label: '3+ days', count: 1 },
    ]);
  });

  it('when conversations stopped without completing, then each question counts them over survey versions, in the instrument\'s order', async () => {
    const at = '2026-03-20T00:00:00.000Z';
    const { dropOff } = await trendsOf([
      { status: 'expired', createdAt: at, current: 'sleep_hours' },
      { status: 'opted_out', createdAt: at, current: 'mood' },
      { status: 'superseded', createdAt: at, current: 'mood', version: edited.id },
      { status: 'expired', createdAt: at, current: null },
      { status: 'completed', createdAt: at, current: null },
      { status: 'asking', createdAt: at, current: 'mood' },
      { status: 'paused', createdAt: at, current: 'mood' },
    ]);
    const position = (field: string) => survey.instruments.find((i) => i.name === 'daily')!.fields.indexOf(field);

    expect(dropOff).toEqual([
      { project: 'p', instrument: 'daily', field: null, position: null, stopped: 1 },
      { project: 'p', instrument: 'daily', field: 'mood', position: position('mood'), stopped: 2 },
      { project: 'p', instrument: 'daily', field: 'sleep_hours', position: position('sleep_hours'), stopped: 1 },
    ]);
  });

  it('when a participant texts STOP at the first question, then the drop-off names the question the machine was asking', async () => {
    const world = testWorld();
    await world.invite();
    const asked = (world.store.db.prepare(`SELECT json_extract(snapshot, '$.context.current') AS field FROM conversations`).get() as { field: string }).field;
    await world.text('STOP');

    const { dropOff } = sqliteDashboardTrends(world.store.db)(NOW);

    expect(survey.fields.map((f) => f.name)).toContain(asked);
    expect(dropOff).toEqual([{ project: 'p1', instrument: 'daily', field: asked, position: expect.any(Number), stopped: 1 }]);
  });

  it('when the trends are read, then the days come from the created_at index and no query reads the outbox or the transcript', async () => {
    const plans = plansOf((await storeWith([])).db, sqliteDashboardQueries, NOW.toISOString());

    expect(plans).toEqual(expect.arrayContaining([expect.stringMatching(/^SEARCH conversations USING INDEX conversations_by_created \(created_at>\?\)/)]));
    expect(plans.filter((detail) => /\b(outbox|transcript)\b/.test(detail) && /^SCAN/.test(detail) && !/INDEX/.test(detail))).toEqual([]);
  });
});
