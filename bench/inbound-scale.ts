/**
 * Inbound webhooks at scale (issue 28): the service on the demo's short survey, on a generated long
 * instrument (320 questions, every third branching on the one before) and on that instrument with
 * 100,000 stored conversations, each as `serve` runs it, measured turn about with bare express and bare
 * node HTTP in the same rounds (autocannon, closed loop), every service's REDCap write-back drained
 * before every turn; then each service offered an even 1,000 msg/s. Ratios are the median of the rounds.
 * The servers, the load and the rounds are those of inbound.ts (decision 0017).
 */
import { availableParallelism, cpus, totalmem } from 'node:os';
import { assertRoundsAgree, median, QUICK, type Benchmark } from './benchmark.js';
import {
  assertTrustworthy, blast, cpuTally, FIXED_RATE, handoffLine, MEASURE_S, pacedWithHandoff, quiet, ROUNDS, roundsTurnAbout, sequence, WARMUP_S, withServer,
  type Measured, type ServiceLoad, type ServicesRound,
} from './inbound.js';
import type { ServerMode, ServerStats } from './inbound-server.js';
import type { MemoryUse } from './service-server.js';
import { BENCH, DAILY_ANSWERS, signedRequests } from './inbound-load.js';
import { pooledHandoffs, type Handoffs, type Outbound } from './handoff.js';
import { LONG_QUESTIONS } from './long-survey.js';
import { pacedLoad, pooled, type PacedResult } from './paced-load.js';
import type { CpuSplit } from './thread-cpu.js';

const SHORT_PARTICIPANTS = QUICK ? 3_000 : 9_000;
/** The independent measurement's 1,000 participants; 320 answers each are more than any run sends. */
const LONG_PARTICIPANTS = 1_000;
const STORED = QUICK ? 20_000 : 100_000;
const CONNECTIONS_NOTE = 'autocannon, 32 connections';
const LONG_ANSWERS: readonly string[] = Array<string>(LONG_QUESTIONS).fill('1');

interface ServiceCase {
  label: string;
  participants: number;
  load: ServiceLoad;
  answers: readonly string[];
}

const SERVICES: readonly ServiceCase[] = [
  { label: `short survey (9 questions), ${SHORT_PARTICIPANTS.toLocaleString('en-US')} stored`, participants: SHORT_PARTICIPANTS, load: { survey: 'short', stored: 0 }, answers: DAILY_ANSWERS },
  { label: `long survey (${LONG_QUESTIONS} questions), ${LONG_PARTICIPANTS.toLocaleString('en-US')} stored`, participants: LONG_PARTICIPANTS, load: { survey: 'long', stored: 0 }, answers: LONG_ANSWERS },
  { label: `long survey, ${STORED.toLocaleString('en-US')} stored`, participants: LONG_PARTICIPANTS, load: { survey: 'long', stored: STORED }, answers: LONG_ANSWERS },
];

interface Running {
  port: number;
  stats: (memory?: boolean) => Promise<ServerStats>;
  pid: number | undefined;
  sends: () => Promise<Outbound[]>;
  /** The REDCap emulator's process, then the fake Twilio API's. */
  fakesPids: readonly (number | undefined)[];
}


export const inboundScaleBenchmark: Benchmark = {
  name: `inbound webhooks at scale: short vs long survey, ${STORED.toLocaleString('en-US')} stored conversations, as ratios to bare express and bare node http`,
  async run() {
    const started = Date.now();
    const run = await withServers(async (bare, node, services) => {
      const loads = {
        bare: sequence(signedRequests(SHORT_PARTICIPANTS, 2 * SHORT_PARTICIPANTS * DAILY_ANSWERS.length, 'a')),
        node: sequence(signedRequests(SHORT_PARTICIPANTS, 2 * SHORT_PARTICIPANTS * DAILY_ANSWERS.length, 'n')),
        services: SERVICES.map((service, i) => sequence(signedRequests(service.participants, service.participants * Math.min(service.answers.length, 100), `s${i}`, service.answers))),
      };
      const drained = () => Promise.all(services.map((service) => quiet(service.stats)));
      await blast(bare.port, loads.bare, WARMUP_S);
      await blast(node.port, loads.node, WARMUP_S);
      for (const [i, service] of services.entries()) await blast(service.port, loads.services[i]!, WARMUP_S);
      const cpu = services.map((service) => cpuTally(service.pid));
      const fakesCpu = services.map((service) => service.fakesPids.map(cpuTally));
      const rounds = await roundsTurnAbout(
        { bare: bare.port, node: node.port, services: services.map((service) => ({ ports: service.port, stats: service.stats })) },
        loads, { rounds: ROUNDS, seconds: MEASURE_S }, (i, turn) => duringAll([cpu[i]!, ...fakesCpu[i]!], turn),
      );
      const paced: PacedResult[][] = [];
      const handedOff: Handoffs[][] = services.map(() => []);
      for (let round = 0; round < ROUNDS; round += 1) {
        const turns: PacedResult[] = [];
        for (const [i, service] of services.entries()) {
          await drained();
          const { paced: turn, handoff } = await pacedWithHandoff(service, loads.services[i]!, (next) => pacedLoad(service.port, BENCH.path, next, MEASURE_S, FIXED_RATE));
          handedOff[i]!.push(handoff);
          turns.push(turn);
        }
        paced.push(turns);
      }
      for (const [i, load] of loads.services.entries()) {
        if (load.wrapped()) throw new Error(`the service on the ${SERVICES[i]!.label} was sent more texts than its participants have answers`);
      }
      return {
        rounds, paced, handoffs: handedOff.map(pooledHandoffs), cpu: cpu.map((tally) => tally.perText()), fakesCpu: fakesCpu.map((tallies) => tallies.map((tally) => tally.perText())),
        stats: await Promise.all(services.map((service) => service.stats(true))),
      };
    });
    const lines = report(run, Date.now() - started);
    assertTrustworthy(run.rounds.map((round) => round.bare.rate), lines);
    SERVICES.forEach((service, i) => assertRoundsAgree(`the service on the ${service.label}`, run.rounds.map((round) => round.services[i]!.rate), lines));
    return lines;
  },
};

/** Bare express, bare node HTTP and every service case, each in its own process (the services with their fakes). */
async function withServers<T>(work: (bare: Running, node: Running, services: Running[]) => Promise<T>): Promise<T> {
  const servers: { mode: ServerMode; participants: number; load?: ServiceLoad }[] = [
    { mode: 'bare', participants: 0 },
    { mode: 'node', participants: 0 },
    ...SERVICES.map((service) => ({ mode: 'service' as const, participants: service.participants, load: service.load })),
  ];
  const started: Running[] = [];
  const startFrom = async (i: number): Promise<T> => {
    const server = servers[i];
    if (server === undefined) return work(started[0]!, started[1]!, started.slice(2));
    return (await withServer<T>(server.mode, server.participants, (port, stats, pid, sends, fakesPids = []) => {
      started.push({ port, stats, pid, sends, fakesPids });
      return startFrom(i + 1);
    }, server.load)).result;
  };
  return startFrom(0);
}

interface Run {
  rounds: ServicesRound[];
  paced: PacedResult[][];
  handoffs: Handoffs[];
  cpu: (CpuSplit | undefined)[];
  /** The fakes' processes' CPU per text in the same turns: work the bare servers' machine does not do. */
  fakesCpu: (CpuSplit | undefined)[][];
  stats: ServerStats[];
}

function report(run: Run, elapsedMs: number): string[] {
  const { rounds, paced, cpu, fakesCpu, stats } = run;
  const pct = (ratio: number) => `${(100 * ratio).toFixed(0)}%`;
  const line = (name: string, m: Measured) =>
    `${name.padEnd(58)} ${Math.round(m.rate).toString().padStart(6)} msg/s   p50 ${m.p50} ms   p99 ${m.p99} ms   failures ${m.failures}`;
  const ratios = (i: number, to: 'bare' | 'node') => rounds.map((round) => round.services[i]!.rate / round[to].rate);
  const summary = (i: number, to: 'bare' | 'node') => `${pct(median(ratios(i, to)))} (rounds: ${ratios(i, to).map(pct).join(', ')})`;
  return [
    `machine: ${availableParallelism()} CPU (${cpus()[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}${QUICK ? '; BENCH_QUICK: a reduced run, not figures to quote' : ''}`,
    `${CONNECTIONS_NOTE}, ${ROUNDS} rounds of ${MEASURE_S} s after ${WARMUP_S} s of warm-up, turn about`,
    ...rounds.flatMap((round, r) => [
      line(`round ${r + 1}: bare express`, round.bare),
      line(`round ${r + 1}: bare node http`, round.node),
      ...round.services.map((measured, i) => line(`round ${r + 1}: service, ${SERVICES[i]!.label}`, measured)),
    ]),
    ...SERVICES.flatMap((service, i) => {
      const split = cpu[i];
      const pooledPaced = pooled(paced.map((round) => round[i]!));
      return [
        `service, ${service.label}: ${summary(i, 'bare')} of bare express (target ≥ 60%), ${summary(i, 'node')} of bare node http (target ≥ 25%)`,
        `  CPU per text ${split === undefined ? 'not measured (needs Linux /proc)' : `${split.main + split.busiestOther + split.rest} µs (HTTP thread ${split.main}, engine thread ${split.busiestOther}, other threads ${split.rest})`}` +
          `${fakesLine(fakesCpu[i] ?? [])}; ` +
          `paced ${FIXED_RATE} msg/s: p99 ${pooledPaced.p99} ms, p50 ${pooledPaced.p50} ms (rounds: p99 ${paced.map((round) => round[i]!.p99).join(', ')} ms; target < 25 ms); ` +
          `${stats[i]!.openConversations.toLocaleString('en-US')} conversations open at the end`,
        `  ${handoffLine(run.handoffs[i]!)}`,
      ];
    }),
    ...memoryLines(stats),
    `total time ${(elapsedMs / 1000).toFixed(1)} s`,
  ];
}

/** Runs a turn with every tally counting it: each tally's `during` wraps the next. */
function duringAll(tallies: readonly ReturnType<typeof cpuTally>[], turn: () => Promise<Measured>): Promise<Measured> {
  const [first, ...rest] = tallies;
  return first === undefined ? turn() : first.during(() => duringAll(rest, turn));
}

/** What the fakes' processes (the REDCap emulator and the fake Twilio API, on the same two cores) spent per text. */
function fakesLine(splits: readonly (CpuSplit | undefined)[]): string {
  const total = (split: CpuSplit) => split.main + split.busiestOther + split.rest;
  const [redcap, twilio] = splits;
  return redcap === undefined || twilio === undefined ? '' : `, and beside it the REDCap emulator ${total(redcap)} µs, the fake Twilio API ${total(twilio)} µs`;
}

/** The long survey's memory with its participants' conversations alone and with STORED, side by side. */
function memoryLines(stats: readonly ServerStats[]): string[] {
  const at = (stored: number) => stats[SERVICES.findIndex((service) => service.load.survey === 'long' && service.load.stored === stored)]?.memory;
  const few = at(0);
  const many = at(STORED);
  if (few === undefined || many === undefined) return ['memory: not measured'];
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  const signed = (bytes: number) => `${bytes < 0 ? '-' : '+'}${mib(Math.abs(bytes))}`;
  const measures: { name: string; of: (memory: MemoryUse) => number }[] = [
    { name: 'RSS', of: (memory) => memory.rss },
    { name: 'heap, HTTP thread', of: (memory) => memory.httpHeapUsed },
    { name: 'heap, engine thread', of: (memory) => memory.engineHeapUsed ?? 0 },
  ];
  return [
    'memory at the end of the turns, long survey (target: flat in stored conversations): RSS of the process; V8 heap used, ' +
      'each thread\'s after a full collection',
    ...measures.map(({ name, of }) =>
      `  ${name.padEnd(20)} ${LONG_PARTICIPANTS.toLocaleString('en-US')} stored ${mib(of(few)).padStart(10)}   ` +
      `${STORED.toLocaleString('en-US')} stored ${mib(of(many)).padStart(10)}   difference ${signed(of(many) - of(few))}`),
  ];
}
