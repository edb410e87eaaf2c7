import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { invite } from '../../src/use-cases/index.js';
import { fireDueTimers } from '../../src/use-cases/index.js';
import { conversationSettings, durationMs } from '../../src/conversation/index.js';
import { parseDictionary } from '../../src/dictionary/index.js';
import type { Survey } from '../../src/dictionary/model.js';
import { parseFixture, stepParts, type Expectation, type Fixture } from '../../src/replay/fixture.js';
import { INBOUND_URL, MOSIO_KEY, mosioProject, mosioWorld, type MosioWorld } from './harness.js';

/**
 * The golden conversations again, with Mosio as the provider: invitations and replies go through the
 * real dispatcher and Mosio sender to the fake Mosio API, participants' texts come in through
 * POST /webhooks/mosio/sms, and what Mosio was asked to send must equal the fixture's expected texts.
 */

const FIXTURES = [
  'daily.happy-path.yaml',
  'daily.skip.yaml',
  'daily.invalid-reprompt.yaml',
  'daily.branching-skips.yaml',
  'daily.branching-reveals.yaml',
  'daily.checkbox-logic.yaml',
  'daily.back.yaml',
  'daily.soft-range.yaml',
  'daily.reminders.yaml',
  'daily.stop-start.yaml',
  'redcapr-survey.morale.yaml',
];

let world: MosioWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('conversation fixtures with SMS_PROVIDER=mosio', () => {
  it.each(FIXTURES)('%s', async (name) => {
    const file = resolve('fixtures/conversations', name);
    const load = parseFixture(readFileSync(file, 'utf8'));
    if (!load.ok) throw new Error(load.error);
    const survey = parseDictionary(readFileSync(resolve(dirname(file), load.fixture.dictionary))).survey;
    if (survey === null) throw new Error('dictionary has errors');
    const fixture = load.fixture;
    world = await mosioWorld({
      project: mosioProject('study', { timeZone: 'UTC' }),
      setup: { settings: conversationSettings(fixture.settings), catalog: fixture.catalog },
      start: fixture.start,
    });
    const failures = await replay(world, fixture, survey);
    expect(failures).toEqual([]);
    for (const sent of world.fake.sends()) {
      expect(sent.auth).toEqual({ user: MOSIO_KEY, password: '' });
      expect(sent.body).toMatchObject({ RedcapUrl: INBOUND_URL, ProjectId: 42, Phone: '+1 555-555-0100', RecordId: fixture.recordId });
    }
  });
});

async function replay(w: MosioWorld, fixture: Fixture, survey: Survey): Promise<string[]> {
  const failures: string[] = [];
  let seen = 0;
  const nextSent = () => w.fake.sends()[seen++]?.body.Body as string | undefined;
  for (const [index, step] of fixture.steps.entries()) {
    const [kind, argument] = stepParts(step);
    const where = `step ${index + 1} (${kind})`;
    if (kind === 'invite') {
      const options = (argument ?? {}) as { instrument?: string; recordId?: string; phone?: string; record?: Record<string, string> };
      await invite(w.deps, {
        project: 'study', survey, instrument: options.instrument ?? fixture.instrument,
        recordId: options.recordId ?? fixture.recordId, phone: options.phone ?? fixture.phone, record: { ...fixture.record, ...options.record },
      });
      await w.dispatchAll();
    } else if (kind === 'send') {
      const reply = await w.inbound(argument as string, { From: fixture.phone });
      if (reply.status !== 200) failures.push(`${where}: webhook answered ${reply.status}`);
      await w.dispatchAll();
    } else if (kind === 'wait') {
      await advance(w, durationMs(argument as string));
    } else if (kind === 'expect') {
      const text = nextSent();
      if (text === undefined || !matches(argument as Expectation, text)) failures.push(`${where}: got ${JSON.stringify(text)}`);
    } else if (kind === 'expect-none') {
      if (w.fake.sends().length > seen) failures.push(`${where}: unexpected text`);
    } else if (kind === 'expect-record') {
      const record = recordWrites(w, fixture.record);
      for (const [field, value] of Object.entries(argument as Record<string, string>)) {
        if ((record[field] ?? '') !== value) failures.push(`${where}: ${field} = ${JSON.stringify(record[field])}`);
      }
    }
  }
  if (w.fake.sends().length > seen) failures.push(`end: ${w.fake.sends().length - seen} unexpected texts`);
  return failures;
}

/** Moves the clock, stopping at every due timer on the way, as the replay world does. */
async function advance(w: MosioWorld, ms: number): Promise<void> {
  const target = w.clock.now().getTime() + ms;
  for (let guard = 0; guard < 1000; guard += 1) {
    const due = await w.store.nextTimerDue();
    if (due === undefined || Date.parse(due) > target) break;
    w.clock.set(new Date(Math.max(Date.parse(due), w.clock.now().getTime())));
    await fireDueTimers(w.deps);
    await w.dispatchAll();
  }
  w.clock.set(new Date(target));
  await fireDueTimers(w.deps);
  await w.dispatchAll();
}

/** What REDCap would hold: the fixture's record plus every queued write, in order. */
function recordWrites(w: MosioWorld, record: Record<string, string>): Record<string, string> {
  const rows = w.db.prepare(`SELECT payload FROM outbox WHERE channel = 'redcap' ORDER BY id`).all() as { payload: string }[];
  return Object.assign({ ...record }, ...rows.map((row) => (JSON.parse(row.payload) as { values: Record<string, string> }).values));
}

function matches(expectation: Expectation, text: string): boolean {
  if (typeof expectation === 'string') return expectation === text;
  if ('contains' in expectation) return text.includes(expectation.contains);
  return new RegExp(expectation.matches, 'u').test(text);
}
