/**
 * Inbound path benchmark (DESIGN §4): autocannon on loopback against (a) a bare express endpoint and
 * (b) the real service — signature → dedupe → step → durable commit (synchronous=FULL) → reply queued —
 * with signed webhooks from many participants answering the demo survey. Both servers run at once, each
 * in its own child process, and are measured turn about for a few rounds (the service's write-back
 * drained before each bare turn); it reports messages/s and p50/p99 for each turn, the median ratio, and
 * p99 at a fixed 1,000 messages/s.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism, cpus, totalmem } from 'node:os';
import autocannon from 'autocannon';
import type { ServerMessage, ServerMode, ServerStats } from './inbound-server.js';
import { BENCH, signedRequests, type SignedRequest } from './inbound-load.js';
import type { Benchmark } from './registry.js';

const PARTICIPANTS = 2_000;
const CONNECTIONS = 32;
const WARMUP_S = 2;
const MEASURE_S = 5;
/** Bare and service measured turn about, so a machine that speeds up or slows down mid-run hits both. */
const ROUNDS = 3;
const FIXED_RATE = 1_000;
/** Enough signed requests for the fastest plausible run; past it the sequence wraps (and dedupes). */
const REQUESTS = 80_000;
/** Before bare is measured, the service's REDCap write-back from the previous round must have drained. */
const QUIET_TIMEOUT_MS = 30_000;

interface Measured {
  rate: number;
  p50: number;
  p99: number;
  failures: number;
}

interface Round {
  bare: Measured;
  service: Measured;
  ratio: number;
}

export const inboundBenchmark: Benchmark = {
  name: `inbound webhooks: bare express vs the service (${PARTICIPANTS} participants, synchronous=FULL)`,
  async run() {
    const started = Date.now();
    const result = await withServer('bare', 0, (barePort) =>
      withServer('service', PARTICIPANTS, async (servicePort, stats) => {
        const bareLoad = sequence(signedRequests(PARTICIPANTS, REQUESTS, 'a'));
        const serviceLoad = sequence(signedRequests(PARTICIPANTS, REQUESTS, 'b'));
        await blast(barePort, bareLoad, WARMUP_S);
        await blast(servicePort, serviceLoad, WARMUP_S);
        const rounds: Round[] = [];
        for (let round = 0; round < ROUNDS; round += 1) {
          await quiet(stats);
          const bare = await blast(barePort, bareLoad, MEASURE_S);
          const service = await blast(servicePort, serviceLoad, MEASURE_S);
          rounds.push({ bare, service, ratio: service.rate / bare.rate });
        }
        await quiet(stats);
        const fixed = await blast(servicePort, serviceLoad, MEASURE_S, FIXED_RATE);
        return { rounds, fixed, stats: await stats() };
      }));
    return report(result.result.result, Date.now() - started);
  },
};

function report(run: { rounds: Round[]; fixed: Measured; stats: ServerStats }, elapsedMs: number): string[] {
  const line = (name: string, m: Measured) =>
    `${name.padEnd(28)} ${Math.round(m.rate).toString().padStart(6)} msg/s   p50 ${m.p50} ms   p99 ${m.p99} ms   failures ${m.failures}`;
  const pct = (ratio: number) => `${(100 * ratio).toFixed(0)}%`;
  const { rounds, fixed, stats } = run;
  const median = [...rounds].sort((a, b) => a.ratio - b.ratio)[Math.floor(rounds.length / 2)]!;
  return [
    `machine: ${availableParallelism()} CPU (${cpus()[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    ...rounds.flatMap((round, i) => [
      line(`round ${i + 1}: bare express`, round.bare),
      line(`round ${i + 1}: service (max)`, round.service),
      `round ${i + 1}: ratio ${pct(round.ratio)}`,
    ]),
    `ratio service / bare: ${pct(median.ratio)}, the median of ${rounds.length} rounds (${rounds.map((r) => pct(r.ratio)).join(', ')}) (target ≥ 50%)`,
    line(`service at ${FIXED_RATE} msg/s`, fixed),
    `p99 at ${FIXED_RATE} msg/s: ${fixed.p99} ms (target < 25 ms)`,
    `inside the service: handling p50 ${stats.handlingP50} ms, p99 ${stats.handlingP99} ms; event-loop delay p99 ${stats.loopDelayP99} ms, max ${stats.loopDelayMax} ms`,
    `stored: ${stats.inbound} inbound texts, ${stats.texts} replies queued, ${stats.openConversations} conversations still open`,
    `total time ${(elapsedMs / 1000).toFixed(1)} s`,
  ];
}

/** Waits until the service has no REDCap write left from the last round, so it takes no CPU from bare. */
async function quiet(stats: () => Promise<ServerStats>): Promise<void> {
  const deadline = Date.now() + QUIET_TIMEOUT_MS;
  while ((await stats()).pendingWrites > 0) {
    if (Date.now() > deadline) throw new Error('the service still had REDCap writes pending after 30 s');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Hands out the precomputed requests in order, shared by every connection. */
function sequence(requests: SignedRequest[]): () => SignedRequest {
  let next = 0;
  return () => requests[next++ % requests.length] as SignedRequest;
}

async function blast(port: number, next: () => SignedRequest, seconds: number, overallRate?: number): Promise<Measured> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}${BENCH.path}`,
    connections: CONNECTIONS,
    duration: seconds,
    ...(overallRate === undefined ? {} : { overallRate }),
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

async function withServer<T>(
  mode: ServerMode, participants: number, work: (port: number, stats: () => Promise<ServerStats>) => Promise<T>,
): Promise<{ result: T }> {
  if (mode !== 'service') return withChild([mode, String(participants)], (child) => serve(child, work));
  return withChild(['fakes'], async (fakes) => {
    const { redcapUrl, twilioBaseUrl } = await nextMessage(fakes, 'fakes');
    return withChild([mode, String(participants), redcapUrl, twilioBaseUrl], (child) => serve(child, work));
  });
}

async function serve<T>(child: ChildProcess, work: (port: number, stats: () => Promise<ServerStats>) => Promise<T>): Promise<{ result: T }> {
  const port = (await nextMessage(child, 'ready')).port;
  const stats = async () => {
    child.send('stats');
    return (await nextMessage(child, 'stats')).stats;
  };
  return { result: await work(port, stats) };
}

async function withChild<T>(args: string[], use: (child: ChildProcess) => Promise<T>): Promise<T> {
  const child = fork(new URL('./inbound-server.js', import.meta.url), args, {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    execArgv: process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [],
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
    const onMessage = (message: ServerMessage) => {
      if (message.type !== type) return;
      child.off('message', onMessage);
      resolve(message as Extract<ServerMessage, { type: K }>);
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`the ${type} benchmark server exited (code ${code})`)));
  });
}
