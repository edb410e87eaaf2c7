/**
 * CPU per inbound text of the engine's unit of work, in-process: `handleInbound` on a temporary SQLite
 * file with synchronous=FULL (dedupe, route, step, save, texts, timers, transcript), committed in groups
 * as the group commit does, for conversations that have already been given some answers, among some
 * number of stored conversations. CPU time, not wall-clock time: the fsync waits are not counted, and a
 * busy machine moves the figure less than it moves a throughput. Cases are measured round by round,
 * turn about, and the median round is the figure.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock, sequentialIds } from '../src/adapters/clock.js';
import { openDatabase, SqliteStore } from '../src/adapters/storage/index.js';
import { createGroupCommit } from '../src/adapters/storage/group-commit.js';
import { conversationSettings } from '../src/conversation/index.js';
import type { Survey } from '../src/dictionary/model.js';
import { handleInbound, invite, type ConversationDeps, type InboundMessage } from '../src/use-cases/index.js';
import { seedConversations, seededPhone } from './stored-conversations.js';

export interface UnitOfWorkCase {
  survey: Survey;
  instrument: string;
  /** The participant's reply to the k-th question (0-based). */
  reply: (k: number) => string;
  /** Answers each measured conversation has already been given. */
  answersGiven: number;
  /** Other conversations stored beside the measured ones. */
  stored: number;
  /** Conversations texting in each round; each sends one text a round. */
  measured: number;
}

/** One case set up on its own database, ready to be measured round after round. */
export interface UnitOfWork {
  /** CPU µs per text over one round (every measured conversation answers once). */
  round(): Promise<number>;
  close(): void;
}

const TEMPLATE_PHONE = '+16505550000';
/** Units of work per transaction: about the group commit's size at full load. */
const GROUP = 8;

export async function prepareUnitOfWork(input: UnitOfWorkCase): Promise<UnitOfWork> {
  const dir = mkdtempSync(join(tmpdir(), 'redcap-sms-unit-of-work-'));
  const db = openDatabase(join(dir, 'bench.db'), { synchronous: 'FULL' });
  const clock = new FakeClock('2026-03-02T15:00:00Z');
  const store = new SqliteStore(db);
  const deps: ConversationDeps = {
    store, clock, newId: sequentialIds('bench-'),
    project: () => ({ settings: conversationSettings({ reminders: ['PT4H'], expiry: 'P1D' }), catalog: {} }),
  };
  let sid = 0;
  // As the engine commits them: the texts of one event-loop turn share a transaction (group commit).
  const grouped = createGroupCommit(store, (tx, inbound: InboundMessage) => handleInbound(deps, inbound, tx));
  const text = (from: string, body: string) => grouped({ provider: 'twilio', providerMessageId: `SM${++sid}`, project: 'bench', from, body });
  const { conversationId: template } = await invite(deps, {
    project: 'bench', survey: input.survey, instrument: input.instrument, recordId: '0', phone: TEMPLATE_PHONE, record: { record_id: '0' },
  });
  for (let k = 0; k < input.answersGiven; k += 1) await text(TEMPLATE_PHONE, input.reply(k));
  seedConversations(db, template, input.stored, 'stored', 0);
  seedConversations(db, template, input.measured, 'measured', input.stored);
  let rounds = 0;
  return {
    async round() {
      const reply = input.reply(input.answersGiven + rounds);
      const asked = questionsAsked(db);
      clock.advance(60_000);
      const before = process.cpuUsage();
      for (let first = 1; first <= input.measured; first += GROUP) {
        const group: Promise<unknown>[] = [];
        for (let m = first; m < first + GROUP && m <= input.measured; m += 1) group.push(text(seededPhone(input.stored + m), reply));
        await Promise.all(group);
      }
      const used = process.cpuUsage(before);
      rounds += 1;
      const answered = questionsAsked(db) - asked;
      if (answered !== input.measured) {
        throw new Error(`${answered} of ${input.measured} texts of a round asked a next question: the round measured another path`);
      }
      return (used.user + used.system) / input.measured;
    },
    close() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function questionsAsked(db: ReturnType<typeof openDatabase>): number {
  return (db.prepare(`SELECT COUNT(*) AS n FROM outbox WHERE channel = 'sms' AND kind = 'question' AND conversation_id LIKE 'measured-%'`)
    .get() as { n: number }).n;
}

/** Measures the cases turn about, `rounds` times after a warm-up round, and returns each case's rounds (CPU µs per text). */
export async function turnAbout(cases: readonly UnitOfWorkCase[], rounds: number): Promise<number[][]> {
  const prepared: UnitOfWork[] = [];
  try {
    for (const input of cases) prepared.push(await prepareUnitOfWork(input));
    for (const unit of prepared) await unit.round(); // warm-up: V8 optimises on the first texts
    const perRound: number[][] = [];
    for (let r = 0; r < rounds; r += 1) {
      const round: number[] = [];
      for (const unit of prepared) round.push(await unit.round());
      perRound.push(round);
    }
    return prepared.map((_, i) => perRound.map((round) => round[i]!));
  } finally {
    for (const unit of prepared) unit.close();
  }
}
