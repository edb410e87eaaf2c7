import { FakeClock, sequentialIds } from '../../src/adapters/clock.js';
import { openDatabase, SqliteStore } from '../../src/adapters/storage/index.js';
import { handleInbound, invite, type ConversationDeps } from '../../src/use-cases/index.js';
import { conversationSettings, type ConversationSettingsInput } from '../../src/conversation/index.js';
import { demoSurvey, PHONE } from '../conversation/demo-survey.js';

export const PROJECT = 'p1';
const survey = demoSurvey();

/** An in-memory service with a fake clock; `dump` reads every table, to prove a call changed nothing. */
export function testWorld(settings: ConversationSettingsInput = {}) {
  const clock = new FakeClock('2026-03-02T15:00:00Z');
  const store = new SqliteStore(openDatabase(':memory:', { now: clock.now() }));
  const deps: ConversationDeps = {
    store, clock, newId: sequentialIds(), project: () => ({ settings: conversationSettings(settings), catalog: {} }),
  };
  let messages = 0;
  return {
    deps,
    store,
    clock,
    invite: (instrument = 'daily') =>
      invite(deps, { project: PROJECT, survey, instrument, recordId: '1', phone: PHONE, record: { record_id: '1' } }),
    text: (body: string, id = `SM${++messages}`) =>
      handleInbound(deps, { provider: 'twilio', providerMessageId: id, project: PROJECT, from: PHONE, body }),
    dump: () => {
      const tables = ['conversations', 'inbound_messages', 'outbox', 'timers', 'opt_outs', 'transcript', 'survey_versions'];
      return Object.fromEntries(tables.map((table) => [table, store.db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all()]));
    },
    texts: () => (store.db.prepare("SELECT payload, status FROM outbox WHERE channel = 'sms' ORDER BY id").all() as { payload: string; status: string }[])
      .map((row) => ({ body: (JSON.parse(row.payload) as { body: string }).body, status: row.status })),
  };
}
