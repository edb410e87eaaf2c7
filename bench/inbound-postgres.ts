/**
 * Inbound webhooks on PostgreSQL (issue 24): the real service as `serve` runs it with DATABASE_URL (the
 * engine in the HTTP thread, decision 0054), one instance on a database, and two instances on another with
 * the load split between them, beside the service on SQLite (synchronous=FULL, engine thread), bare express
 * and bare node HTTP, all up at once and measured turn about in rounds (autocannon, closed loop), every
 * service's REDCap write-back drained before each turn; then each service and bare express at an even
 * 1,000 msg/s. Throughput is the median of the rounds' ratios to the bare servers, as in inbound.ts
 * (decision 0017). The PostgreSQL server is a throwaway cluster started for the run with durable commits,
 * from the same programs the PostgreSQL test suite uses (test/postgres-server/, decision 0068); without
 * them the benchmark says why and measures nothing.
 */
import { availableParallelism, cpus, totalmem } from 'node:os';
import { findPostgresServer, type ServerSource } from '../test/postgres-server/server-binaries.js';
import { createDatabase, databaseUrl, dropDatabase, newDatabaseName } from '../test/postgres-server/databases.js';
import { startThrowawayCluster } from '../test/postgres-server/throwaway-cluster.js';
import { assertRoundsAgree, median, QUICK, type Benchmark } from './benchmark.js';
import {
  assertTrustworthy, blast, FIXED_RATE, MEASURE_S, quiet, ROUNDS, roundsTurnAbout, sequence, WARMUP_S, withFakes, withServer, withService,
  type Measured, type ServerWork, type ServiceLoad, type ServicesRound,
} from './inbound.js';
import { BENCH, DAILY_ANSWERS, signedRequests } from './inbound-load.js';
import type { ServerStats } from './inbound-server.js';
import { pacedLoad, pooled, type PacedResult } from './paced-load.js';
import { addGrowth, processCpu, type ThreadCpu } from './thread-cpu.js';

export interface PostgresBenchSettings {
  participants: number;
  warmupS: number;
  measureS: number;
  rounds: number;
  rate: number;
}

/** As the SQLite inbound benchmark: every measured text answers a question of the demo survey. */
const SETTINGS: PostgresBenchSettings = { participants: QUICK ? 3_000 : 9_000, warmupS: WARMUP_S, measureS: MEASURE_S, rounds: ROUNDS, rate: FIXED_RATE };

/** A server the PostgreSQL cases run on: its superuser URL, and its postmaster when this run started it. */
interface PostgresServer {
  url: string;
  pid: number | undefined;
  /** Where it came from, for the report. */
  from: string;
  stop(): Promise<void>;
}

/** One service case: its instances (one or two) on one storage. */
interface ServiceCase {
  label: string;
  ports: number[];
  pids: (number | undefined)[];
  stats: () => Promise<ServerStats>;
  /** Whether the PostgreSQL server's CPU counts towards this case's texts. */
  postgres: boolean;
}

const CASES = ['SQLite (synchronous=FULL), one instance', 'PostgreSQL, one instance', 'PostgreSQL, two instances on one database'] as const;

export interface PostgresRun {
  rounds: ServicesRound[];
  paced: { bare: PacedResult; services: PacedResult[] }[];
  /** CPU per text over the measured rounds, µs: the service's processes, and the PostgreSQL server's. */
  cpu: ({ service: number; postgres: number | undefined } | undefined)[];
  stats: ServerStats[];
}

export function postgresBenchmark(find: () => ServerSource = () => findPostgresServer()): Benchmark {
  return {
    name: 'inbound webhooks on PostgreSQL: one and two instances beside SQLite, as ratios to bare express and bare node http',
    async run() {
      const source = find();
      if (source.kind === 'none') return [`PostgreSQL cases NOT RUN: ${source.why}`];
      let server: PostgresServer;
      try {
        server = await postgresServer(source);
      } catch (error) {
        return [`PostgreSQL cases NOT RUN: no server could be started (${error instanceof Error ? error.message : String(error)})`];
      }
      const started = Date.now();
      try {
        const run = await measurePostgres(server.url, server.pid, SETTINGS);
        const lines = report(run, server.from, SETTINGS, Date.now() - started);
        assertTrustworthy(run.rounds.map((round) => round.bare.rate), lines);
        CASES.forEach((label, i) => assertRoundsAgree(`the service on ${label}`, run.rounds.map((round) => round.services[i]!.rate), lines));
        return lines;
      } finally {
        await server.stop();
      }
    },
  };
}

export const inboundPostgresBenchmark = postgresBenchmark();

async function postgresServer(source: Exclude<ServerSource, { kind: 'none' }>): Promise<PostgresServer> {
  if (source.kind === 'url') return { url: source.url, pid: undefined, from: 'the server at TEST_DATABASE_URL, with its own settings', stop: async () => undefined };
  const cluster = await startThrowawayCluster(source.binDir, { durable: true });
  return { ...cluster, from: `a throwaway cluster from ${source.from}, durable commits (fsync and synchronous_commit on, PostgreSQL's defaults)` };
}

/**
 * Bare express, bare node HTTP and the three service cases, each service with its own REDCap and Twilio
 * fakes (the two instances share theirs, as they share the database), on databases made for the run.
 */
export async function measurePostgres(serverUrl: string, postmaster: number | undefined, settings: PostgresBenchSettings): Promise<PostgresRun> {
  const databases = [newDatabaseName('bench_one'), newDatabaseName('bench_two')];
  for (const name of databases) await createDatabase(serverUrl, name);
  const [one, two] = databases.map((name) => databaseUrl(serverUrl, name)) as [string, string];
  const short = (databaseUrl?: string): ServiceLoad => (databaseUrl === undefined ? { survey: 'short', stored: 0 } : { survey: 'short', stored: 0, databaseUrl });
  const unwrap = async <T>(started: Promise<{ result: T }>) => (await started).result;
  const on = <T>(mode: 'bare' | 'node', work: ServerWork<T>) => unwrap(withServer(mode, 0, work));
  const service = <T>(fakes: Parameters<typeof withService>[0], participants: number, load: ServiceLoad, work: ServerWork<T>) =>
    unwrap(withService(fakes, participants, load, work));
  const { participants } = settings;
  try {
    return await on('bare', (barePort) => on('node', (nodePort) =>
      withFakes((sqliteFakes) => service(sqliteFakes, participants, short(), (sqlitePort, sqliteStats, sqlitePid) =>
        withFakes((oneFakes) => service(oneFakes, participants, short(one), (onePort, oneStats, onePid) =>
          withFakes((twoFakes) => service(twoFakes, participants, short(two), (firstPort, twoStats, firstPid) =>
            // The second instance invites nobody: the first has invited every participant into their database.
            service(twoFakes, 0, short(two), (secondPort, _stats, secondPid) => measure({ bare: barePort, node: nodePort }, [
              { label: CASES[0], ports: [sqlitePort], pids: [sqlitePid], stats: sqliteStats, postgres: false },
              { label: CASES[1], ports: [onePort], pids: [onePid], stats: oneStats, postgres: true },
              { label: CASES[2], ports: [firstPort, secondPort], pids: [firstPid, secondPid], stats: twoStats, postgres: true },
            ], postmaster, settings))))))))));
  } finally {
    for (const name of databases) await dropDatabase(serverUrl, name);
  }
}

async function measure(
  bare: { bare: number; node: number }, services: ServiceCase[], postmaster: number | undefined, settings: PostgresBenchSettings,
): Promise<PostgresRun> {
  const { participants, warmupS, measureS, rounds: roundCount, rate } = settings;
  const requests = participants * DAILY_ANSWERS.length;
  const loads = {
    // The bare servers run faster than any service; twice the requests keep them from wrapping.
    bare: sequence(signedRequests(participants, 2 * requests, 'a')),
    node: sequence(signedRequests(participants, 2 * requests, 'n')),
    services: services.map((_, i) => sequence(signedRequests(participants, requests, `p${i}`))),
  };
  const drained = () => Promise.all(services.map((each) => quiet(each.stats)));
  await blast(bare.bare, loads.bare, warmupS);
  await blast(bare.node, loads.node, warmupS);
  for (const [i, each] of services.entries()) await blast(each.ports, loads.services[i]!, warmupS);
  const cpu = services.map((each) => cpuTally(each, postmaster, measureS));
  const rounds = await roundsTurnAbout({ ...bare, services }, loads, { rounds: roundCount, seconds: measureS }, (i, turn) => cpu[i]!.during(turn));
  const paced: PostgresRun['paced'] = [];
  for (let round = 0; round < roundCount; round += 1) {
    await drained();
    const bareTurn = await pacedLoad(bare.bare, BENCH.path, loads.bare, measureS, rate);
    const serviceTurns: PacedResult[] = [];
    for (const [i, each] of services.entries()) {
      await drained();
      serviceTurns.push(await pacedLoad(each.ports, BENCH.path, loads.services[i]!, measureS, rate));
    }
    paced.push({ bare: bareTurn, services: serviceTurns });
  }
  for (const [i, load] of loads.services.entries()) {
    if (load.wrapped()) throw new Error(`the service on ${services[i]!.label} was sent more texts than ${participants} participants have answers; raise the participants`);
  }
  return { rounds, paced, cpu: cpu.map((tally) => tally.perText()), stats: await Promise.all(services.map((each) => each.stats())) };
}

/**
 * CPU of a case's service processes (every thread) over its measured turns, and of the PostgreSQL
 * server's processes when it runs on the server this run started (Linux /proc).
 */
function cpuTally(service: ServiceCase, postmaster: number | undefined, seconds: number) {
  const pids = service.pids.filter((pid): pid is number => pid !== undefined);
  const server = service.postgres && postmaster !== undefined ? postmaster : undefined;
  const spent = { service: new Map<number, number>(), postgres: new Map<number, number>() };
  let texts = 0;
  const total = (times: ThreadCpu) => [...times.values()].reduce((sum, ms) => sum + ms, 0);
  return {
    async during(turn: () => Promise<Measured>): Promise<Measured> {
      const before = { service: processCpu(pids), postgres: server === undefined ? new Map() : processCpu([server], true) };
      const measured = await turn();
      addGrowth(spent.service, before.service, processCpu(pids));
      if (server !== undefined) addGrowth(spent.postgres, before.postgres, processCpu([server], true));
      texts += measured.rate * seconds;
      return measured;
    },
    perText: () => {
      if (texts === 0 || spent.service.size === 0) return undefined;
      const perText = (ms: number) => Math.round((ms * 1000) / texts);
      return { service: perText(total(spent.service)), postgres: server === undefined ? undefined : perText(total(spent.postgres)) };
    },
  };
}

function report(run: PostgresRun, from: string, settings: PostgresBenchSettings, elapsedMs: number): string[] {
  const { rounds, paced, cpu, stats } = run;
  const pct = (ratio: number) => `${(100 * ratio).toFixed(0)}%`;
  const line = (name: string, m: Measured) =>
    `${name.padEnd(62)} ${Math.round(m.rate).toString().padStart(6)} msg/s   p50 ${m.p50} ms   p99 ${m.p99} ms   failures ${m.failures}`;
  const ratios = (i: number, to: 'bare' | 'node') => rounds.map((round) => round.services[i]!.rate / round[to].rate);
  const summary = (i: number, to: 'bare' | 'node') => `${pct(median(ratios(i, to)))} (rounds: ${ratios(i, to).map(pct).join(', ')})`;
  const pacedBare = pooled(paced.map((round) => round.bare));
  return [
    `machine: ${availableParallelism()} CPU (${cpus()[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}${QUICK ? '; BENCH_QUICK: a reduced run, not figures to quote' : ''}`,
    `PostgreSQL: ${from}; the service's pool of 10 connections per instance`,
    `${settings.participants.toLocaleString('en-US')} participants per case answering the demo survey; autocannon, 32 connections (split between two instances), ` +
      `${settings.rounds} rounds of ${settings.measureS} s after ${settings.warmupS} s of warm-up, turn about`,
    ...rounds.flatMap((round, r) => [
      line(`round ${r + 1}: bare express`, round.bare),
      line(`round ${r + 1}: bare node http`, round.node),
      ...round.services.map((measured, i) => line(`round ${r + 1}: service on ${CASES[i]}`, measured)),
    ]),
    ...CASES.flatMap((label, i) => {
      const pooledPaced = pooled(paced.map((round) => round.services[i]!));
      const split = cpu[i];
      return [
        `service on ${label}: ${summary(i, 'bare')} of bare express, ${summary(i, 'node')} of bare node http`,
        `  paced ${settings.rate} msg/s: p99 ${pooledPaced.p99} ms, p50 ${pooledPaced.p50} ms (rounds: p99 ${paced.map((round) => round.services[i]!.p99).join(', ')} ms), failures ${pooledPaced.failures}; ` +
          `CPU per text ${split === undefined ? 'not measured (needs Linux /proc)' : `${split.service} µs in the service${split.postgres === undefined ? '' : `, ${split.postgres} µs in the PostgreSQL server`}`}; ` +
          `${stats[i]!.inbound.toLocaleString('en-US')} texts stored, ${stats[i]!.openConversations.toLocaleString('en-US')} conversations open at the end`,
      ];
    }),
    `bare express, paced ${settings.rate} msg/s: p99 ${pacedBare.p99} ms, p50 ${pacedBare.p50} ms (rounds: p99 ${paced.map((round) => round.bare.p99).join(', ')} ms)`,
    ...(availableParallelism() <= 4
      ? [`on ${availableParallelism()} cores the PostgreSQL server, the load generator and the REDCap fakes share the CPU with the service: ` +
        'a second instance adds a process, not cores, so its figure shows what a second process costs here, not how the service scales out']
      : []),
    `total time ${(elapsedMs / 1000).toFixed(1)} s`,
  ];
}
