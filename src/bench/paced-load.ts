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
      const sorted = Array.from(latencies).sort((a, b) => a - b);
      const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);
      resolve({ rate: total / ((performance.now() - start) / 1000), p50: at(0.5), p99: at(0.99), failures });
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
