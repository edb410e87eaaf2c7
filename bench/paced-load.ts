/**
 * Open-loop load at an even pace, for latency at a given rate. autocannon's `overallRate` lets each
 * connection send its quota for the second as fast as it can and then wait for the next second, so its
 * "1,000 msg/s" is a burst at full speed for part of every second (a bare express endpoint shows a p99 of
 * hundreds of ms there). Here request i is due at start + i / rate, whatever the earlier ones are doing,
 * on as many keep-alive connections as it takes, and its latency counts from when it was due, so a
 * stalled server cannot hide the requests it delayed (no coordinated omission).
 *
 * The generator stands in for Twilio, which runs on other machines, yet here it shares the server's two
 * cores, so every microsecond it spends is taken from the server it measures. It therefore speaks
 * HTTP/1.1 on plain sockets with every request's bytes built before the run (node's own HTTP client cost
 * about twice the CPU per request; decision 0017).
 */
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { SignedRequest } from './inbound-load.js';

export interface PacedResult {
  /** Responses per second over the run, from the first due time to the last response. */
  rate: number;
  p50: number;
  p99: number;
  failures: number;
  /** Every request's latency in ms, in the order they were due. */
  latencies: Float64Array;
  /** When each request was due, epoch ms (performance.timeOrigin-based, comparable with another process's). */
  due: Float64Array;
}

/**
 * Several runs as one: percentiles over all their requests together, the mean rate. One run of a few
 * seconds puts its p99 at the mercy of one stall of the machine; runs taken turn about with other
 * servers meet the same machine the others met.
 */
export function pooled(runs: readonly PacedResult[]): PacedResult {
  const latencies = joined(runs.map((run) => run.latencies));
  const rate = runs.reduce((total, run) => total + run.rate, 0) / Math.max(1, runs.length);
  const failures = runs.reduce((total, run) => total + run.failures, 0);
  return { rate, failures, latencies, due: joined(runs.map((run) => run.due)), ...percentiles(latencies) };
}

/** Arrays one after another. */
export function joined(arrays: readonly Float64Array[]): Float64Array {
  const all = new Float64Array(arrays.reduce((total, array) => total + array.length, 0));
  let offset = 0;
  for (const array of arrays) {
    all.set(array, offset);
    offset += array.length;
  }
  return all;
}

/** The median and the 99th percentile, rounded to whole ms (the nearest-rank method); 0 for none. */
export function percentiles(latencies: Float64Array): { p50: number; p99: number } {
  const sorted = Float64Array.from(latencies).sort();
  const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
  return { p50: at(0.5), p99: at(0.99) };
}

/**
 * `rate` requests a second for `seconds`, evenly paced, to one server or taken in turn by several (request i
 * to port i mod their number: instances of the service sharing one database).
 */
export function pacedLoad(
  port: number | readonly number[], path: string, next: () => SignedRequest, seconds: number, rate: number, maxConnections = MAX_CONNECTIONS,
): Promise<PacedResult> {
  const ports = typeof port === 'number' ? [port] : port;
  const total = Math.round(seconds * rate);
  const requests = Array.from({ length: total }, (_, i) => requestBytes(ports[i % ports.length]!, path, next()));
  const latencies = new Float64Array(total);
  const start = performance.now() + 20;
  const dueAt = (i: number) => start + (i * 1000) / rate;
  let sent = 0;
  let done = 0;
  let failures = 0;
  return new Promise((resolve) => {
    const settled = (i: number, ok: boolean) => {
      latencies[i] = performance.now() - dueAt(i);
      if (!ok) failures += 1;
      done += 1;
      if (done < total) return;
      for (const pool of pools) pool.close();
      const due = Float64Array.from({ length: total }, (_, k) => performance.timeOrigin + dueAt(k));
      resolve({ rate: total / ((performance.now() - start) / 1000), failures, latencies, due, ...percentiles(latencies) });
    };
    const pools = ports.map((each) => new ConnectionPool(each, maxConnections, settled));
    const tick = () => {
      const now = performance.now();
      while (sent < total && dueAt(sent) <= now) {
        pools[sent % pools.length]!.send(sent, requests[sent]!);
        sent += 1;
      }
      if (sent < total) setTimeout(tick, Math.max(0, dueAt(sent) - performance.now()));
    };
    setTimeout(tick, 20);
  });
}

/** The whole request as it goes on the wire. */
function requestBytes(port: number, path: string, signed: SignedRequest): Buffer {
  const body = Buffer.from(signed.body, 'utf8');
  const head = `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`
    + `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n`
    + `X-Twilio-Signature: ${signed.signature}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

/**
 * A server that stalls would otherwise be sent a new connection for every request due meanwhile, past its
 * listen backlog (511 in node), and connects refused there are retried after a second. The earlier
 * generator's agent had the same cap.
 */
const MAX_CONNECTIONS = 512;

/**
 * Keep-alive connections, each with at most one request in flight. A new one opens when none is free, up
 * to `max`; past that a request waits for the first connection to come free (its latency still counts
 * from its due time).
 */
class ConnectionPool {
  private readonly free: Connection[] = [];
  private readonly all = new Set<Connection>();
  private readonly waiting: Array<{ request: number; bytes: Buffer }> = [];

  constructor(private readonly port: number, private readonly max: number, private readonly settled: (request: number, ok: boolean) => void) {}

  send(request: number, bytes: Buffer): void {
    const connection = this.takeFree() ?? (this.all.size < this.max ? this.open() : undefined);
    if (connection === undefined) this.waiting.push({ request, bytes });
    else connection.send(request, bytes);
  }

  close(): void {
    for (const connection of this.all) connection.destroy();
  }

  private takeFree(): Connection | undefined {
    let connection = this.free.pop();
    while (connection !== undefined && connection.closed) connection = this.free.pop();
    return connection;
  }

  private open(): Connection {
    const connection: Connection = new Connection(
      connect({ port: this.port, host: '127.0.0.1', noDelay: true }),
      (request, ok, reusable) => {
        this.settled(request, ok);
        if (reusable) this.release(connection);
      },
      () => {
        this.all.delete(connection);
        const next = this.waiting.shift();
        if (next !== undefined) this.send(next.request, next.bytes);
      },
    );
    this.all.add(connection);
    return connection;
  }

  private release(connection: Connection): void {
    const next = this.waiting.shift();
    if (next === undefined) this.free.push(connection);
    else connection.send(next.request, next.bytes);
  }
}

const HEAD_END = Buffer.from('\r\n\r\n');

/**
 * One socket and its one request in flight. A response is read as far as the generator needs it: the
 * status, Content-Length and Connection headers, and the body skipped by its length. Anything else (a
 * chunked body, a closed connection, a socket error) fails the request instead of leaving the run waiting.
 */
class Connection {
  closed = false;
  private request = -1;
  private unread: Buffer | undefined;

  constructor(
    private readonly socket: Socket,
    private readonly settled: (request: number, ok: boolean, reusable: boolean) => void,
    onClose: () => void,
  ) {
    socket.on('data', (chunk: Buffer) => this.read(chunk));
    socket.on('error', () => undefined); // 'close' follows and fails the request in flight.
    socket.on('close', () => {
      this.closed = true;
      this.fail();
      onClose();
    });
  }

  send(request: number, bytes: Buffer): void {
    this.request = request;
    this.socket.write(bytes);
  }

  destroy(): void {
    this.socket.destroy();
  }

  private read(chunk: Buffer): void {
    const bytes = this.unread === undefined ? chunk : Buffer.concat([this.unread, chunk]);
    const headEnd = bytes.indexOf(HEAD_END);
    if (headEnd === -1) return void (this.unread = bytes);
    const response = responseHead(bytes.toString('latin1', 0, headEnd));
    if (response === undefined) return void this.socket.destroy();
    const end = headEnd + HEAD_END.length + response.contentLength;
    if (bytes.length < end) return void (this.unread = bytes);
    this.unread = undefined;
    const request = this.request;
    this.request = -1;
    this.settled(request, response.status === 200, response.keepAlive && bytes.length === end);
    if (!response.keepAlive || bytes.length !== end) this.socket.destroy();
  }

  private fail(): void {
    if (this.request === -1) return;
    const request = this.request;
    this.request = -1;
    this.settled(request, false, false);
  }
}

interface ResponseHead {
  status: number;
  contentLength: number;
  keepAlive: boolean;
}

/** The parts of a response's head the generator needs; `undefined` for a response it cannot delimit. */
export function responseHead(head: string): ResponseHead | undefined {
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(head);
  const length = /\r\ncontent-length: *(\d+) *(?:\r\n|$)/i.exec(head);
  if (status === null || length === null) return undefined;
  return {
    status: Number(status[1]),
    contentLength: Number(length[1]),
    keepAlive: !/\r\nconnection: *close *(?:\r\n|$)/i.test(head),
  };
}
