/**
 * Open-loop load at an even pace, for latency at a given rate. autocannon's `overallRate` lets each
 * connection send its quota for the second as fast as it can and then wait for the next second, so its
 * "1,000 msg/s" is a burst at full speed for part of every second (a bare express endpoint shows a p99 of
 * hundreds of ms there). Here request i is due at start + i / rate, whatever the earlier ones are doing,
 * on as many keep-alive connections as it takes, and its latency counts from when it was due, so a
 * stalled server cannot hide the requests it delayed (no coordinated omission).
 */
import { Agent, request } from 'node:http';
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
}

/**
 * Several runs as one: percentiles over all their requests together, the mean rate. One run of a few
 * seconds puts its p99 at the mercy of one stall of the machine; runs taken turn about with other
 * servers meet the same machine the others met.
 */
export function pooled(runs: readonly PacedResult[]): PacedResult {
  const latencies = new Float64Array(runs.reduce((total, run) => total + run.latencies.length, 0));
  let offset = 0;
  for (const run of runs) {
    latencies.set(run.latencies, offset);
    offset += run.latencies.length;
  }
  const rate = runs.reduce((total, run) => total + run.rate, 0) / Math.max(1, runs.length);
  const failures = runs.reduce((total, run) => total + run.failures, 0);
  return { rate, failures, latencies, ...percentiles(latencies) };
}

function percentiles(latencies: Float64Array): { p50: number; p99: number } {
  const sorted = Float64Array.from(latencies).sort();
  const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
  return { p50: at(0.5), p99: at(0.99) };
}

export function pacedLoad(port: number, path: string, next: () => SignedRequest, seconds: number, rate: number): Promise<PacedResult> {
  const total = Math.round(seconds * rate);
  const agent = new Agent({ keepAlive: true, maxSockets: 512 });
  const latencies = new Float64Array(total);
  const start = performance.now() + 20;
  const dueAt = (i: number) => start + (i * 1000) / rate;
  let sent = 0;
  let done = 0;
  let failures = 0;
  return new Promise((resolve) => {
    const finish = () => {
      agent.destroy();
      resolve({ rate: total / ((performance.now() - start) / 1000), failures, latencies, ...percentiles(latencies) });
    };
    const settle = (i: number, ok: boolean) => {
      latencies[i] = performance.now() - dueAt(i);
      if (!ok) failures += 1;
      done += 1;
      if (done === total) finish();
    };
    const fire = (i: number) => {
      const signed = next();
      const req = request({
        agent, host: '127.0.0.1', port, path, method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(signed.body),
          'x-twilio-signature': signed.signature,
        },
      }, (res) => {
        res.resume();
        res.once('end', () => settle(i, res.statusCode === 200));
      });
      req.once('error', () => settle(i, false));
      req.end(signed.body);
    };
    const tick = () => {
      const now = performance.now();
      while (sent < total && dueAt(sent) <= now) fire(sent++);
      if (sent < total) setTimeout(tick, Math.max(0, dueAt(sent) - performance.now()));
    };
    setTimeout(tick, 20);
  });
}
