/**
 * Inbound path benchmark (DESIGN §4): autocannon on loopback against (a) a bare express endpoint and
 * (b) the real service — signature → dedupe → step → durable commit (synchronous=FULL) → reply queued —
 * with signed webhooks from many participants answering the demo survey. The servers run at once, each
 * in its own child process, and are measured turn about for a few rounds (the service's write-back
 * drained before each bare turn), with two more between them: (c) a bare node HTTP endpoint, since the
 * service answers its webhooks ahead of express (decision 0022), and (d) the minimal durable pipeline:
 * the same signature check and group commit storing only the inbound row. It reports messages/s and
 * p50/p99 for each turn, the median ratios, and latency at an evenly paced 1,000 messages/s for all four,
 * again turn about in rounds and pooled (paced-load.ts), with how long the threads of bare express, of
 * the service and of the load generator waited for one of the machine's cores meanwhile.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import type { BenchSurvey, ServerMessage, ServerMode, ServerStats } from './inbound-server.js';
import { BENCH, DAILY_ANSWERS, signedRequests, type SignedRequest, type SignedRequestList } from './inbound-load.js';
import { handoffs, pooledHandoffs, sendsPerSecond, type Handoffs, type Outbound } from './handoff.js';
import { BENCH_SEND_RATE } from './service-server.js';
import { senderRate } from '../src/policies/token-bucket.js';
import { pacedLoad, percentiles, pooled, type PacedResult } from './paced-load.js';
import { assertRoundsAgree, median, QUICK, UntrustedMeasurement, type Benchmark } from './benchmark.js';
import { addGrowth, cpuSplit, threadCpu, threadWait, waitSplit, type CpuSplit } from './thread-cpu.js';

/**
 * Every text the service is measured on answers a question: each participant answers the whole survey
 * once (DAILY_ANSWERS), so this many participants give 81,000 answers: enough for about 2,600 msg/s over
 * the warm-up and the measured turns, with the paced rounds' 15,000 besides. A text after the end of the
 * survey takes a much cheaper path (no conversation to step), so running out must not pass unnoticed:
 * the run fails instead.
 */
const PARTICIPANTS = QUICK ? 3_000 : 9_000;
const CONNECTIONS = 32;
/**
 * Long enough for V8 to finish optimising: the service runs far more code than bare express, and after
 * 2 s its first measured round still ran about a tenth slower than the others while V8's helper threads
 * (which compile) took half as much CPU again per text. Every server gets the same warm-up.
 */
export const WARMUP_S = QUICK ? 2 : 8;
export const MEASURE_S = QUICK ? 2 : 5;
/** Bare and service measured turn about, so a machine that speeds up or slows down mid-run hits both. */
export const ROUNDS = 3;
export const FIXED_RATE = 1_000;
const REQUESTS = PARTICIPANTS * DAILY_ANSWERS.length;
/** Before bare is measured, the service's REDCap write-back and texts from the previous round must have drained, or at least be going down. */
const QUIET_TIMEOUT_MS = 30_000;

export interface Measured {
  rate: number;
  p50: number;
  p99: number;
  failures: number;
}

/** CPU per text of a server's threads over every round (Linux only). */
interface CpuPerText {
  bare: CpuSplit | undefined;
  service: CpuSplit | undefined;
}

interface Round {
  bare: Measured;
  /** Node's own HTTP server reading the form: the floor under the service's webhook path (decision 0022). */
  node: Measured;
  /** Signature, inbound row, group commit, answer: the durable floor without any survey logic. */
  minimal: Measured;
  service: Measured;
}

/** The same four servers at an even FIXED_RATE, one after another, in each of ROUNDS rounds. */
type Paced = Record<keyof Round, PacedResult>;

/**
 * Time spent ready to run but waiting for a CPU, in ms per second, over the paced turns of bare express
 * and of the service, for the server's threads and the load generator's (Linux only).
 */
interface WaitsForCpu {
  bare: CpuSplit | undefined;
  generatorWithBare: CpuSplit | undefined;
  service: CpuSplit | undefined;
  generatorWithService: CpuSplit | undefined;
}

export const inboundBenchmark: Benchmark = {
  name: `inbound webhooks: bare express vs the service (${PARTICIPANTS} participants, synchronous=FULL)`,
  async run() {
    const started = Date.now();
    const result = await withServer('bare', 0, (barePort, _bareStats, barePid) =>
      withServer('node', 0, (nodePort) =>
      withServer('minimal', 0, (minimalPort) =>
        withServer('service', PARTICIPANTS, async (servicePort, stats, servicePid, sends) => {
          const loads = {
            // Bare and minimal run at over twice the service's speed; twice the requests keep them from wrapping
            // too (a repeat would be a duplicate, a cheaper path for the minimal pipeline).
            bare: sequence(signedRequests(PARTICIPANTS, 2 * REQUESTS, 'a')),
            node: sequence(signedRequests(PARTICIPANTS, 2 * REQUESTS, 'n')),
            minimal: sequence(signedRequests(PARTICIPANTS, 2 * REQUESTS, 'm')),
            service: sequence(signedRequests(PARTICIPANTS, REQUESTS, 'b')),
          };
          await blast(barePort, loads.bare, WARMUP_S);
          await blast(nodePort, loads.node, WARMUP_S);
          await blast(minimalPort, loads.minimal, WARMUP_S);
          await blast(servicePort, loads.service, WARMUP_S);
          const rounds: Round[] = [];
          const bareCpu = cpuTally(barePid);
          const serviceCpu = cpuTally(servicePid);
          for (let round = 0; round < ROUNDS; round += 1) {
            await quiet(stats);
            const bare = await bareCpu.during(() => blast(barePort, loads.bare, MEASURE_S));
            const node = await blast(nodePort, loads.node, MEASURE_S);
            const minimal = await blast(minimalPort, loads.minimal, MEASURE_S);
            const service = await serviceCpu.during(() => blast(servicePort, loads.service, MEASURE_S));
            rounds.push({ bare, node, minimal, service });
          }
          const cpu: CpuPerText = { bare: bareCpu.perText(), service: serviceCpu.perText() };
          const paced: Paced[] = [];
          const handedOff: Handoffs[] = [];
          const waits = {
            bare: waitTally(barePid), generatorWithBare: waitTally(process.pid),
            service: waitTally(servicePid), generatorWithService: waitTally(process.pid),
          };
          for (let round = 0; round < ROUNDS; round += 1) {
            await quiet(stats);
            const bare = await waits.generatorWithBare.during(() => waits.bare.during(() => pacedLoad(barePort, BENCH.path, loads.bare, MEASURE_S, FIXED_RATE)));
            const node = await pacedLoad(nodePort, BENCH.path, loads.node, MEASURE_S, FIXED_RATE);
            const minimal = await pacedLoad(minimalPort, BENCH.path, loads.minimal, MEASURE_S, FIXED_RATE);
            await quiet(stats);
            const { paced: service, handoff } = await pacedWithHandoff({ stats, sends }, loads.service, (next) =>
              waits.generatorWithService.during(() => waits.service.during(() => pacedLoad(servicePort, BENCH.path, next, MEASURE_S, FIXED_RATE))));
            paced.push({ bare, node, minimal, service });
            handedOff.push(handoff);
          }
          if (loads.service.wrapped()) throw new Error(`the service was sent more texts than ${PARTICIPANTS} participants have answers; raise PARTICIPANTS`);
          const waited: WaitsForCpu = {
            bare: waits.bare.perSecond(), generatorWithBare: waits.generatorWithBare.perSecond(),
            service: waits.service.perSecond(), generatorWithService: waits.generatorWithService.perSecond(),
          };
          return { rounds, cpu, paced, handoff: pooledHandoffs(handedOff), waited, stats: await stats() };
        }))));
    const run = result.result.result.result.result;
    const lines = report(run, Date.now() - started);
    assertTrustworthy(run.rounds.map((round) => round.bare.rate), lines);
    assertRoundsAgree('the service', run.rounds.map((round) => round.service.rate), lines);
    return lines;
  },
};

function report(run: { rounds: Round[]; cpu: CpuPerText; paced: Paced[]; handoff: Handoffs; waited: WaitsForCpu; stats: ServerStats }, elapsedMs: number): string[] {
  const line = (name: string, m: Measured) =>
    `${name.padEnd(34)} ${Math.round(m.rate).toString().padStart(6)} msg/s   p50 ${m.p50} ms   p99 ${m.p99} ms   failures ${m.failures}`;
  const pct = (ratio: number) => `${(100 * ratio).toFixed(0)}%`;
  const { rounds, cpu, paced, waited, stats } = run;
  const all = (server: keyof Round) => pooled(paced.map((round) => round[server]));
  const fixed: Paced = { bare: all('bare'), node: all('node'), minimal: all('minimal'), service: all('service') };
  const pacedLine = (name: string, server: keyof Round) =>
    `${line(`${name}, paced ${FIXED_RATE} msg/s`, fixed[server])}   (rounds: p99 ${paced.map((round) => round[server].p99).join(', ')} ms)`;
  const ratios = (of: 'minimal' | 'service', to: 'bare' | 'node') => rounds.map((round) => round[of].rate / round[to].rate);
  const summary = (of: 'minimal' | 'service', to: 'bare' | 'node' = 'bare') =>
    `${pct(median(ratios(of, to)))}, the median of ${rounds.length} rounds (${ratios(of, to).map(pct).join(', ')})`;
  return [
    `machine: ${availableParallelism()} CPU (${cpus()[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    ...rounds.flatMap((round, i) => [
      line(`round ${i + 1}: bare express`, round.bare),
      line(`round ${i + 1}: bare node http`, round.node),
      line(`round ${i + 1}: minimal durable pipeline`, round.minimal),
      line(`round ${i + 1}: service (max)`, round.service),
    ]),
    `ratio minimal pipeline / bare: ${summary('minimal')}`,
    `ratio service / bare: ${summary('service')} (target ≥ 50%)`,
    `ratio service / bare node http: ${summary('service', 'node')} (the service answers webhooks ahead of express)`,
    ...cpuLines(cpu),
    pacedLine('bare express', 'bare'),
    pacedLine('bare node http', 'node'),
    pacedLine('minimal pipeline', 'minimal'),
    pacedLine('service', 'service'),
    `p99 at an even ${FIXED_RATE} msg/s over ${paced.length} × ${MEASURE_S} s taken turn about: ${fixed.service.p99} ms (target < 25 ms); ` +
      `bare express ${fixed.bare.p99} ms, bare node http ${fixed.node.p99} ms, the minimal pipeline ${fixed.minimal.p99} ms`,
    `service: ${handoffLine(run.handoff)}`,
    waitLine(waited),
    `inside the service: handling p50 ${stats.handlingP50} ms, p99 ${stats.handlingP99} ms; event-loop delay p99 ${stats.loopDelayP99} ms, max ${stats.loopDelayMax} ms`,
    `stored: ${stats.inbound} inbound texts, ${stats.texts} replies queued, ${stats.openConversations} conversations still open`,
    `total time ${(elapsedMs / 1000).toFixed(1)} s`,
  ];
}

export function cpuLines(cpu: CpuPerText): string[] {
  if (cpu.bare === undefined || cpu.service === undefined) return ['CPU per text: not measured (needs Linux /proc)'];
  const { bare, service } = cpu;
  return [
    `CPU per text over the rounds: bare express ${bare.main} µs (+${bare.busiestOther + bare.rest} µs in helper threads); ` +
      `service ${service.main + service.busiestOther + service.rest} µs: HTTP thread ${service.main}, engine thread ${service.busiestOther}, other threads ${service.rest} (V8 GC, libuv)`,
  ];
}

function waitLine(waited: WaitsForCpu): string {
  const { bare, generatorWithBare, service, generatorWithService } = waited;
  if (bare === undefined || generatorWithBare === undefined || service === undefined || generatorWithService === undefined) {
    return 'waiting for a CPU: not measured (needs Linux /proc schedstat)';
  }
  return `waiting for a CPU while ready to run, paced turns, ms per s: bare express ${bare.main} (load generator ${generatorWithBare.main}); ` +
    `service HTTP thread ${service.main}, engine thread ${service.busiestOther}, other threads ${service.rest} (load generator ${generatorWithService.main})`;
}

/** Bare express and bare node HTTP, and services each on one port or spread over several instances. */
export interface ServersTurnAbout {
  bare: number;
  node: number;
  services: readonly { ports: number | readonly number[]; stats: () => Promise<ServerStats> }[];
}

/** One closed-loop round: each bare server, then each service, in that order. */
export interface ServicesRound {
  bare: Measured;
  node: Measured;
  services: Measured[];
}

/**
 * Closed-loop rounds taken turn about (decision 0017): every service's REDCap write-back drained before
 * the bare turns and before each service's turn; `during` wraps a service's turn (its CPU tally).
 */
export async function roundsTurnAbout(
  servers: ServersTurnAbout,
  loads: { bare: () => SignedRequest; node: () => SignedRequest; services: readonly (() => SignedRequest)[] },
  settings: { rounds: number; seconds: number },
  during: (service: number, turn: () => Promise<Measured>) => Promise<Measured> = (_service, turn) => turn(),
): Promise<ServicesRound[]> {
  const drained = () => Promise.all(servers.services.map((service) => quiet(service.stats)));
  const rounds: ServicesRound[] = [];
  for (let round = 0; round < settings.rounds; round += 1) {
    await drained();
    const bare = await blast(servers.bare, loads.bare, settings.seconds);
    const node = await blast(servers.node, loads.node, settings.seconds);
    const services: Measured[] = [];
    for (const [i, service] of servers.services.entries()) {
      await drained();
      services.push(await during(i, () => blast(service.ports, loads.services[i]!, settings.seconds)));
    }
    rounds.push({ bare, node, services });
  }
  return rounds;
}

/** Adds up a server's thread CPU over the measured turns, and the texts it served in them. */
export function cpuTally(pid: number | undefined) {
  const spent = new Map<number, number>();
  let texts = 0;
  return {
    async during(turn: () => Promise<Measured>): Promise<Measured> {
      if (pid === undefined) return turn();
      const before = threadCpu(pid);
      const measured = await turn();
      addGrowth(spent, before, threadCpu(pid));
      texts += measured.rate * MEASURE_S;
      return measured;
    },
    perText: (): CpuSplit | undefined => (pid === undefined ? undefined : cpuSplit(pid, new Map(), spent, texts)),
  };
}

/** Adds up how long a process's threads waited for a CPU over some turns, and the CPU each used (to tell the engine). */
function waitTally(pid: number | undefined) {
  const cpu = new Map<number, number>();
  const wait = new Map<number, number>();
  let seconds = 0;
  return {
    async during<T>(turn: () => Promise<T>): Promise<T> {
      if (pid === undefined) return turn();
      const before = { cpu: threadCpu(pid), wait: threadWait(pid), at: performance.now() };
      const result = await turn();
      addGrowth(cpu, before.cpu, threadCpu(pid));
      addGrowth(wait, before.wait, threadWait(pid));
      seconds += (performance.now() - before.at) / 1000;
      return result;
    },
    perSecond: (): CpuSplit | undefined => (pid === undefined ? undefined : waitSplit(pid, cpu, wait, seconds)),
  };
}

/**
 * Waits until the service has no REDCap write and no text left to send from the last round, so it takes no
 * CPU from the next turn (its texts go out at up to 1,000 a second, decision 0071), and then until its
 * sender has rested (SENDER_REST_MS). A backlog that shrinks is waited for however long it takes; one that
 * has not shrunk for 30 s means the machine is too busy.
 */
export async function quiet(stats: () => Promise<ServerStats>): Promise<void> {
  await drainedOf(stats);
  await new Promise((resolve) => setTimeout(resolve, SENDER_REST_MS));
}

/**
 * The sender's rate is the paced load's (BENCH_SEND_RATE): texts leave as fast as they come, with a second's
 * burst saved up to take up a stall. A turn started right after the last one's backlog drained would find
 * that burst spent, and then no stall could be caught up (decision 0073). So the turn starts, as after any
 * quiet spell in production, with the burst refilled: a second at the sender's rate.
 */
const SENDER_REST_MS = (1_000 * senderRate(BENCH_SEND_RATE).capacity) / BENCH_SEND_RATE;

async function drainedOf(stats: () => Promise<ServerStats>): Promise<void> {
  let least = Number.POSITIVE_INFINITY;
  let deadline = Date.now() + QUIET_TIMEOUT_MS;
  for (let now = await stats(); now.pendingWrites > 0 || now.pendingTexts > 0; now = await stats()) {
    const pending = now.pendingWrites + now.pendingTexts;
    if (pending < least) {
      least = pending;
      deadline = Date.now() + QUIET_TIMEOUT_MS;
    }
    if (Date.now() > deadline) {
      throw new UntrustedMeasurement('the service\'s REDCap writes or texts pending did not go down for 30 s: the machine is too busy to measure on');
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * A service's paced turn with each text's handoff to the sender (handoff.ts): the texts of earlier turns
 * set aside first (the caller has let them drain), the turn's own waited for after it.
 */
export async function pacedWithHandoff(
  service: { stats: () => Promise<ServerStats>; sends: () => Promise<Outbound[]> },
  next: () => SignedRequest,
  turn: (next: () => SignedRequest) => Promise<PacedResult>,
): Promise<{ paced: PacedResult; handoff: Handoffs }> {
  await service.sends();
  const phones: string[] = [];
  const paced = await turn(() => {
    const request = next();
    phones.push(new URLSearchParams(request.body).get('From') ?? '');
    return request;
  });
  await quiet(service.stats);
  return { paced, handoff: handoffs(phones.map((phone, k) => ({ phone, sentAt: paced.due[k]! })), await service.sends()) };
}

/** The issue's target for the next question handed to the sender after an inbound webhook, p99 (issue 28). */
export const HANDOFF_TARGET_MS = 50;

/** One line: the handoff's percentiles against the target, what could not be paired, the sender's pace. */
export function handoffLine(handoff: Handoffs): string {
  const { p50, p99 } = percentiles(handoff.latencies);
  const left = handoff.unpaired === 0 ? '' : `; ${handoff.unpaired} texts left out (their phone's texts in and out did not pair)`;
  const overlapping = handoff.overlapping === 0 ? '' : `; ${handoff.overlapping} replies arrived after the participant's next text was sent`;
  return `next question handed to the sender, paced ${FIXED_RATE} msg/s, from the webhook's due time to the fake Twilio API: ` +
    `p50 ${p50} ms, p99 ${p99} ms (target < ${HANDOFF_TARGET_MS} ms) over ${handoff.latencies.length.toLocaleString('en-US')} texts${left}; ` +
    `the sender handed over ${Math.round(sendsPerSecond(handoff))} texts/s while sending (its rate ${BENCH_SEND_RATE}/s)${overlapping}`;
}

/** Hands out the precomputed requests in order, shared by every connection; past the end it starts again. */
export function sequence(requests: SignedRequestList): (() => SignedRequest) & { readonly wrapped: () => boolean } {
  let next = 0;
  return Object.assign(() => requests.at(next++ % requests.length), { wrapped: () => next > requests.length });
}

/** Closed-loop load on a server, or spread evenly over several (connection i goes to port i mod their number). */
export async function blast(port: number | readonly number[], next: () => SignedRequest, seconds: number): Promise<Measured> {
  const urls = (typeof port === 'number' ? [port] : port).map((each) => `http://127.0.0.1:${each}${BENCH.path}`);
  const result = await autocannon({
    // autocannon takes a list of URLs and spreads its connections over them; its published types know only one.
    url: (urls.length === 1 ? urls[0] : urls) as string,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [{
      method: 'POST',
      setupRequest: (request) => {
        const signed = next();
        return { ...request, body: signed.body, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signed.signature } };
      },
    }],
  });
  return {
    rate: result.requests.total / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}

/** `stats(true)` adds the service's memory; `sends` is the texts its fake Twilio API received since the last call (services only). */
export type ServerWork<T> = (
  port: number, stats: (memory?: boolean) => Promise<ServerStats>, pid: number | undefined, sends: () => Promise<Outbound[]>,
  /** A service's fakes' processes, the REDCap emulator's then the fake Twilio API's: they share the machine's cores with it. */
  fakesPids?: readonly (number | undefined)[],
) => Promise<T>;

/**
 * What the service's participants answer, how many conversations it stores in all (their own included), and
 * on which PostgreSQL database, if not on a SQLite file of its own.
 */
export interface ServiceLoad {
  survey: BenchSurvey;
  stored: number;
  databaseUrl?: string;
}

/** The REDCap emulator and the fake Twilio API, in a process of their own; services may share them. */
export interface Fakes {
  redcapUrl: string;
  twilioBaseUrl: string;
  /** The texts the fake Twilio API was asked to send since the last call, oldest first. */
  sends: () => Promise<Outbound[]>;
  /** The fakes' processes: the REDCap emulator's, then the fake Twilio API's. */
  pids: readonly (number | undefined)[];
}

export async function withServer<T>(mode: ServerMode, participants: number, work: ServerWork<T>, load: ServiceLoad = { survey: 'short', stored: 0 }): Promise<{ result: T }> {
  if (mode !== 'service') return withChild([mode, String(participants)], (child) => serve(child, work, async () => []));
  return withFakes((fakes) => withService(fakes, participants, load, work));
}

export function withFakes<T>(use: (fakes: Fakes) => Promise<T>): Promise<T> {
  return withChild(['fake-redcap'], async (redcap) => {
    const redcapUrl = (await nextMessage(redcap, 'fake')).url;
    return withChild(['fake-twilio'], async (twilio) => {
      const twilioBaseUrl = (await nextMessage(twilio, 'fake')).url;
      const sends = async () => {
        twilio.send('sends');
        return (await nextMessage(twilio, 'sends')).sends;
      };
      return use({ redcapUrl, twilioBaseUrl, sends, pids: [redcap.pid, twilio.pid] });
    });
  });
}

/** The service in a child process, talking to `fakes`; `participants` are invited before it starts. */
export function withService<T>(fakes: Fakes, participants: number, load: ServiceLoad, work: ServerWork<T>): Promise<{ result: T }> {
  const args = ['service', String(participants), fakes.redcapUrl, fakes.twilioBaseUrl, load.survey, String(load.stored)];
  return withChild(load.databaseUrl === undefined ? args : [...args, load.databaseUrl], (child) => serve(child, work, fakes.sends, fakes.pids));
}

/**
 * Bare express answers 2,400–2,800 msg/s on this project's machine when it is quiet; under half of that,
 * the machine is busy with something else and no ratio measured beside it means much.
 */
const BARE_EXPRESS_FLOOR = 1_200;

/** Throws UntrustedMeasurement when bare express, the yardstick, measured far below its usual rate or erratically. */
export function assertTrustworthy(bareRates: readonly number[], lines: readonly string[]): void {
  const rate = median(bareRates);
  if (rate < BARE_EXPRESS_FLOOR) {
    throw new UntrustedMeasurement(
      `bare express measured ${Math.round(rate)} msg/s (median of its rounds), under ${BARE_EXPRESS_FLOOR}, half its usual rate on a quiet machine: the machine is too busy to measure on`,
      lines,
    );
  }
  assertRoundsAgree('bare express', bareRates, lines);
}

async function serve<T>(child: ChildProcess, work: ServerWork<T>, sends: () => Promise<Outbound[]>, fakesPids?: readonly (number | undefined)[]): Promise<{ result: T }> {
  const port = (await nextMessage(child, 'ready')).port;
  const stats = async (memory = false) => {
    child.send(memory ? 'memory' : 'stats');
    return (await nextMessage(child, 'stats')).stats;
  };
  return { result: await work(port, stats, child.pid, sends, fakesPids) };
}

async function withChild<T>(args: string[], use: (child: ChildProcess) => Promise<T>): Promise<T> {
  const child = fork(new URL('./inbound-server.js', import.meta.url), args, {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    // A service can be asked for its memory after a full collection (service-server.ts).
    execArgv: [
      ...(args[0] === 'service' ? ['--expose-gc'] : []),
      ...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []),
    ],
  });
  try {
    return await use(child);
  } finally {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send('stop');
      await exited;
    }
  }
}

function nextMessage<K extends ServerMessage['type']>(child: ChildProcess, type: K): Promise<Extract<ServerMessage, { type: K }>> {
  return new Promise((resolve, reject) => {
    // Both listeners go once either fires: the stats are polled, and a listener left behind per poll piles up.
    const onMessage = (message: ServerMessage) => {
      if (message.type !== type) return;
      child.off('message', onMessage).off('exit', onExit);
      resolve(message as Extract<ServerMessage, { type: K }>);
    };
    const onExit = (code: number | null) => {
      child.off('message', onMessage);
      reject(new Error(`the ${type} benchmark server exited (code ${code})`));
    };
    child.on('message', onMessage).once('exit', onExit);
  });
}
