import { describe, expect, it } from 'vitest';
import { FakeClock, sequentialIds } from '../../src/adapters/clock.js';
import { openDatabase, SqliteStore } from '../../src/adapters/storage/index.js';
import { conversationSettings } from '../../src/conversation/index.js';
import { handleInbound, invite, type ConversationDeps } from '../../src/use-cases/index.js';
import { assertRoundsAgree, UntrustedMeasurement } from '../../bench/benchmark.js';
import { assertTrustworthy } from '../../bench/inbound.js';
import { seedConversations, seededPhone } from '../../bench/stored-conversations.js';
import { demoSurvey } from '../conversation/demo-survey.js';

/** A database with one invited conversation that has answered once, and `copies` copies of it. */
async function seeded(copies: number) {
  const store = new SqliteStore(openDatabase(':memory:'));
  const deps: ConversationDeps = {
    store, clock: new FakeClock('2026-03-02T15:00:00Z'), newId: sequentialIds(),
    project: () => ({ settings: conversationSettings({ reminders: ['PT4H'] }), catalog: {} }),
  };
  const phone = '+16505550000';
  const { conversationId } = await invite(deps, { project: 'p', survey: demoSurvey(), instrument: 'daily', recordId: '1', phone, record: { record_id: '1' } });
  await handleInbound(deps, { provider: 'twilio', providerMessageId: 'SM1', project: 'p', from: phone, body: '1' });
  seedConversations(store.db, conversationId, copies, 'seed', 10);
  const count = (sql: string) => (store.db.prepare(sql).get() as { n: number }).n;
  return { store, deps, count };
}

describe('stored conversations copied in bulk for the benchmarks', () => {
  it.each([1, 50])('when %i copies are made, then each is a conversation of its own phone, whose snapshot names that phone', async (copies) => {
    const { store, count } = await seeded(copies);
    expect(count("SELECT COUNT(DISTINCT phone) AS n FROM conversations WHERE id LIKE 'seed-%'")).toBe(copies);
    const last = await store.openConversations('p', seededPhone(10 + copies));
    expect(last).toHaveLength(1);
    expect(JSON.stringify(last[0]?.snapshot)).toContain(seededPhone(10 + copies));
    expect(count("SELECT COUNT(*) AS n FROM inbound_messages WHERE phone LIKE '+1999%'")).toBe(copies);
  });

  it('when copies are made, then none of them leaves a text to send or a timer to fire', async () => {
    const { count } = await seeded(20);
    expect(count("SELECT COUNT(*) AS n FROM outbox WHERE conversation_id LIKE 'seed-%'")).toBeGreaterThan(0);
    expect(count("SELECT COUNT(*) AS n FROM outbox WHERE conversation_id LIKE 'seed-%' AND status = 'pending'")).toBe(0);
    expect(count("SELECT COUNT(*) AS n FROM timers WHERE conversation_id LIKE 'seed-%' AND status = 'pending'")).toBe(0);
  });

  it('when a copy is texted, then it answers like the conversation it was copied from', async () => {
    const { deps, store } = await seeded(3);
    await handleInbound(deps, { provider: 'twilio', providerMessageId: 'SM2', project: 'p', from: seededPhone(12), body: '7' });
    const texts = store.db.prepare(`SELECT payload FROM outbox WHERE channel = 'sms' AND status = 'pending' AND phone = ?`).all(seededPhone(12)) as { payload: string }[];
    expect(texts.map((row) => JSON.parse(row.payload).body).join('\n')).toContain('Which symptoms');
  });
});

describe('a benchmark that cannot be trusted', () => {
  it.each([
    { case: 'bare express far below its usual rate', rates: [900, 1_000, 950], reason: /bare express measured 950 msg\/s/ },
    { case: 'rounds of bare express that disagree', rates: [2_500, 1_300, 2_600], reason: /rounds of bare express disagree/ },
  ])('when it measured $case, then it says why instead of reporting a ratio', ({ rates, reason }) => {
    expect(() => assertTrustworthy(rates, ['a line'])).toThrow(UntrustedMeasurement);
    expect(() => assertTrustworthy(rates, [])).toThrow(reason);
  });

  it.each([
    { rounds: [2_400, 2_600, 2_500], trusted: true },
    { rounds: [400, 590, 420], trusted: true },
    { rounds: [300, 792, 799], trusted: false },
  ])('when the rounds are $rounds, then they are trusted: $trusted', ({ rounds, trusted }) => {
    const check = () => assertRoundsAgree('the service', rounds);
    if (trusted) expect(check).not.toThrow();
    else expect(check).toThrow(UntrustedMeasurement);
  });
});
