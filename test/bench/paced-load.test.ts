import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { pacedLoad } from '../../src/bench/paced-load.js';

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
  await new Promise((resolve) => server?.close(resolve));
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
