import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { pacedLoad, pooled, responseHead, type PacedResult } from '../../bench/paced-load.js';

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

  test('when a run is paced, then each request is due 1000/rate ms after the one before, on the epoch clock another process reads', async () => {
    const port = await serve((respond) => respond());
    const before = Date.now();
    const result = await pacedLoad(port, '/', signed, 0.5, 100);
    expect(result.due).toHaveLength(50);
    expect(result.due[0]).toBeGreaterThanOrEqual(before - 1);
    expect(result.due[0]).toBeLessThan(before + 200);
    for (let k = 1; k < result.due.length; k += 1) expect(result.due[k]! - result.due[k - 1]!).toBeCloseTo(10, 6);
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

describe('paced load on the wire', () => {
  test('when a request is sent, then the server reads it as the signed form post it stands for', async () => {
    const seen: Array<Record<string, string | undefined>> = [];
    server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.once('end', () => {
        seen.push({ method: req.method, url: req.url, type: req.headers['content-type'], signature: req.headers['x-twilio-signature'] as string, body });
        res.end('<Response/>');
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const result = await pacedLoad((server.address() as AddressInfo).port, '/webhooks/twilio/sms', () => ({ body: 'Body=caf%C3%A9&From=%2B1650', signature: 'c2lnbmVk' }), 0.1, 20);
    expect(result.failures).toBe(0);
    expect(seen).toEqual([{ method: 'POST', url: '/webhooks/twilio/sms', type: 'application/x-www-form-urlencoded', signature: 'c2lnbmVk', body: 'Body=caf%C3%A9&From=%2B1650' }, expect.anything()]);
  });

  test('when the server closes each connection after its answer, then the next requests open new ones and all are answered', async () => {
    server = createServer((req, res) => {
      req.resume();
      req.once('end', () => {
        res.setHeader('connection', 'close');
        res.end('<Response/>');
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const result = await pacedLoad((server.address() as AddressInfo).port, '/', signed, 0.5, 40);
    expect(result.failures).toBe(0);
    expect(result.latencies).toHaveLength(20);
  });

  test.each([
    { case: 'drops the connection without answering', answer: (res: ServerResponse) => res.socket?.destroy() },
    { case: 'answers without a length (chunked)', answer: (res: ServerResponse) => { res.write('<Resp'); res.end('onse/>'); } },
  ])('when the server $case, then each request counts as a failure and the run still ends', async ({ answer }) => {
    server = createServer((req, res) => {
      req.resume();
      req.once('end', () => answer(res));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const result = await pacedLoad((server.address() as AddressInfo).port, '/', signed, 0.5, 20);
    expect(result.failures).toBe(10);
  });

  test('when more requests are in flight than the connection cap, then the rest wait for a free connection and still count from their due time', async () => {
    let open = 0;
    let mostOpen = 0;
    server = createServer((req, res) => {
      req.resume();
      req.once('end', () => setTimeout(() => res.end('<Response/>'), 20));
    });
    server.on('connection', (socket) => {
      mostOpen = Math.max(mostOpen, (open += 1));
      socket.once('close', () => (open -= 1));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    // Three connections answer at most 150 requests a second; 200 are due each second.
    const result = await pacedLoad((server.address() as AddressInfo).port, '/', signed, 0.5, 200, 3);
    expect(result.failures).toBe(0);
    expect(mostOpen).toBe(3);
    expect(result.latencies.at(-1)).toBeGreaterThan(result.latencies[0]! + 50);
  });

  test('when nothing listens on the port, then every request counts as a failure and the run still ends', async () => {
    const port = await serve((respond) => respond());
    await new Promise((resolve) => server!.close(resolve));
    server = undefined;
    const result = await pacedLoad(port, '/', signed, 0.2, 20);
    expect(result.failures).toBe(4);
  });
});

describe('paced load over several instances', () => {
  test('when two servers are given, then the requests go to each in turn, evenly paced, and every one is answered', async () => {
    const seen: string[][] = [[], []];
    const servers = seen.map((bodies) => createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.once('end', () => {
        bodies.push(body);
        res.end('<Response/>');
      });
    }));
    const ports = await Promise.all(servers.map((each) => new Promise<number>((resolve) => each.listen(0, '127.0.0.1', () => resolve((each.address() as AddressInfo).port)))));
    let k = 0;
    try {
      const result = await pacedLoad(ports, '/', () => ({ body: `Body=${k++}`, signature: 'sig' }), 0.5, 40);
      expect(result.failures).toBe(0);
      expect(seen[0]!.sort()).toEqual(['Body=0', 'Body=10', 'Body=12', 'Body=14', 'Body=16', 'Body=18', 'Body=2', 'Body=4', 'Body=6', 'Body=8']);
      expect(seen[1]).toHaveLength(10);
      expect(seen[1]!.every((body) => Number(body.slice(5)) % 2 === 1)).toBe(true);
    } finally {
      await Promise.all(servers.map((each) => new Promise((resolve) => each.close(resolve))));
    }
  });
});

describe('reading a response head', () => {
  test.each([
    { head: 'HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 11', read: { status: 200, contentLength: 11, keepAlive: true } },
    { head: 'HTTP/1.1 403 Forbidden\r\ncontent-length:0', read: { status: 403, contentLength: 0, keepAlive: true } },
    { head: 'HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 5', read: { status: 200, contentLength: 5, keepAlive: false } },
    { head: 'HTTP/1.0 503 Service Unavailable\r\nContent-Length: 2\r\nConnection: keep-alive', read: { status: 503, contentLength: 2, keepAlive: true } },
    { head: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked', read: undefined },
    { head: 'HTTP/1.1 200 OK\r\nX-Content-Length: 5', read: undefined },
    { head: 'SSH-2.0-OpenSSH\r\nContent-Length: 5', read: undefined },
  ])('when the head is $head, then it reads as $read', ({ head, read }) => {
    expect(responseHead(head)).toEqual(read);
  });
});

describe('pooled paced runs', () => {
  const run = (rate: number, failures: number, latencies: number[]): PacedResult =>
    ({ rate, failures, latencies: Float64Array.from(latencies), due: new Float64Array(latencies.length), p50: Number.NaN, p99: Number.NaN });

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
