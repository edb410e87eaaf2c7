/**
 * CPU per inbound text, in-process, against what issue 28 says must not move it: the answers already
 * given, the survey's length and the number of stored conversations. Two figures, both CPU time (so a
 * busy machine moves them less than it moves a throughput):
 * - the pure step as the engine runs it (the kept snapshot stepped, its stored text serialised, the
 *   answers being rows: decision 0069), and the stored text's size, after 10, 100 and 300 answers of a
 *   320-question instrument;
 * - the whole unit of work (`handleInbound` on a synchronous=FULL file, in group-sized transactions), for
 *   the short demo survey and the long instrument at those depths, among 1,000 or 100,000 stored
 *   conversations, measured round by round turn about, the median round the figure.
 */
import { assertRoundsAgree, median, QUICK, type Benchmark } from './benchmark.js';
import { DAILY_ANSWERS } from './inbound-load.js';
import { LONG_INSTRUMENT, LONG_QUESTIONS, longSurvey } from './long-survey.js';
import { stepCost } from './step-cost.js';
import { turnAbout, type UnitOfWorkCase } from './unit-of-work.js';
import { parseDictionary } from '../src/dictionary/index.js';
import { readFileSync } from 'node:fs';

const DEPTHS = [10, 100, 300] as const;
const ROUNDS = QUICK ? 3 : 5;
const MEASURED = QUICK ? 100 : 300;
const STORED = [1_000, QUICK ? 20_000 : 100_000] as const;
const UNIT_SPREAD_NOTE = 'median of rounds taken turn about';

export const perTextBenchmark: Benchmark = {
  name: `CPU per text in-process: answers given, survey length, ${STORED[1].toLocaleString('en-US')} stored conversations`,
  async run() {
    const long = longSurvey(LONG_QUESTIONS);
    const short = parseDictionary(readFileSync('fixtures/dictionaries/sms-demo.csv', 'utf8'), 'csv').survey;
    if (short === null) throw new Error('the demo dictionary does not load');
    const steps = DEPTHS.map((answers) => stepCost(long, LONG_INSTRUMENT, answers, QUICK ? 50 : 150));
    const longCase = (answersGiven: number, stored: number): UnitOfWorkCase => ({
      survey: long, instrument: LONG_INSTRUMENT, reply: () => '1', answersGiven, stored, measured: MEASURED,
    });
    const cases: { label: string; input: UnitOfWorkCase }[] = [
      { label: `short survey (9 questions), ${STORED[0].toLocaleString('en-US')} stored`, input: { survey: short, instrument: 'daily', reply: (k) => DAILY_ANSWERS[k] ?? 'hello', answersGiven: 0, stored: STORED[0], measured: MEASURED } },
      ...DEPTHS.map((answers) => ({ label: `long survey, after ${answers} answers, ${STORED[0].toLocaleString('en-US')} stored`, input: longCase(answers, STORED[0]) })),
      { label: `long survey, after 10 answers, ${STORED[1].toLocaleString('en-US')} stored`, input: longCase(10, STORED[1]) },
    ];
    const rounds = await turnAbout(cases.map((c) => c.input), ROUNDS);
    const us = (value: number) => `${Math.round(value)} µs`;
    const lines = [
      `pure step on a ${LONG_QUESTIONS}-question instrument (every third question branching on the one before), CPU per text, step + serialise as stored (the snapshot kept by the store; answers are rows):`,
      ...steps.map((cost) => `  after ${String(cost.answers).padStart(3)} answers: ${us(cost.totalUs).padStart(7)} (of which serialise ${us(cost.stringifyUs)}; a cold read's parse ${us(cost.parseUs)}); stored text ${cost.snapshotBytes.toLocaleString('en-US')} bytes`),
      `unit of work (handleInbound, synchronous=FULL, ${MEASURED} conversations a round), CPU per text, ${UNIT_SPREAD_NOTE} (${ROUNDS}):${QUICK ? ' BENCH_QUICK, a reduced run' : ''}`,
      ...cases.map((c, i) => `  ${c.label.padEnd(44)} ${us(median(rounds[i]!)).padStart(7)}   (rounds: ${rounds[i]!.map(Math.round).join(', ')})`),
      `  long survey after 300 answers / after 10: ${(median(rounds[3]!) / median(rounds[1]!)).toFixed(2)}; ` +
        `${STORED[1].toLocaleString('en-US')} stored / ${STORED[0].toLocaleString('en-US')}: ${(median(rounds[4]!) / median(rounds[1]!)).toFixed(2)}`,
    ];
    cases.forEach((c, i) => assertRoundsAgree(`the unit of work, ${c.label}`, rounds[i]!, lines));
    return lines;
  },
};
