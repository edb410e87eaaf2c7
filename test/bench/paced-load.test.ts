import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { pacedLoad, pooled, type PacedResult } from '../../src/bench/paced-load.js';

let server: Server | undefined;

/** A server that answers each request after `delayMs`, or after the stall when one is under way. */
async function serve(answer: (respond: () => void) => void): Promise<number> {
  server = createServer((req, res) => {
    req.resume();
    req.once('end', () => answer(() => res.end('<Response/>')));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

const signed = () => ({ body: 'Body=1', signature: 'sig' });

afterEach(async () => {
  if (server !== undefined) await new Promise((resolve) => server!.close(resolve));
  server = undefined;
});

describe('paced load', () => {
  test('when the server keeps up, then the requests go out at the asked rate and every one is answered', async () => {
    const port = await serve((respond) => respond());
    const result = await pacedLoad(port, '/', signed, 1, 200);
    expect(result.failures).toBe(0);
    expect(result.rate).toBeGreaterThan(120);
    expect(result.rate).toBeLessThan(210);
  });

  test('when the server stalls, then the requests due during the stall count it from their due time', async () => {
    // Nothing is answered for the first 300 ms: a closed-loop client would simply send less meanwhile.
    const opened = Date.now();
    const port = await serve((respond) => setTimeout(respond, Math.max(0, opened + 300 - Date.now())));
    const result = await pacedLoad(port, '/', signed, 1, 100);
    expect(result.failures).toBe(0);
    // About a third of the requests were due during the stall, so the median still waits for part of it.
    expect(result.p99).toBeGreaterThanOrEqual(200);
    expect(result.p50).toBeLessThan(100);
  });

  test('when the server answers with an error status, then it is counted as a failure', async () => {
    server = createServer((req, res) => {
      req.resume();
      req.once('end', () => {
        res.statusCode = 503;
        res.end();
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const result = await pacedLoad((server.address() as AddressInfo).port, '/', signed, 0.5, 40);
    expect(result.failures).toBe(20);
  });
});

describe('pooled paced runs', () => {
  const run = (rate: number, failures: number, latencies: number[]): PacedResult =>
    ({ rate, failures, latencies: Float64Array.from(latencies), p50: Number.NaN, p99: Number.NaN });

  test('when runs are pooled, then the percentiles are over all their requests, not an average of each run\'s', () => {
    // 99 quick requests in each run and one slow one in the second: each run alone has a p99 of 1 or 2 ms
    // (the floor of the rank), pooled the slow one is 1 of 200 and stays above the 99th percentile too.
    const quick = Array.from({ length: 99 }, () => 1);
    const result = pooled([run(1000, 0, [...quick, 2]), run(998, 1, [...quick, 300])]);
    expect(result.latencies).toHaveLength(200);
    expect(result.p50).toBe(1);
    expect(result.p99).toBe(2);
    expect(result.rate).toBe(999);
    expect(result.failures).toBe(1);
  });

  test('when one run stalls for longer than a hundredth of all requests, then the pooled p99 shows the stall', () => {
    const calm = Array.from({ length: 100 }, () => 2);
    const stalled = [...Array.from({ length: 95 }, () => 2), ...Array.from({ length: 5 }, () => 80)];
    const result = pooled([run(1000, 0, calm), run(1000, 0, stalled), run(1000, 0, calm)]);
    expect(result.p99).toBe(80);
    expect(result.p50).toBe(2);
  });
});
