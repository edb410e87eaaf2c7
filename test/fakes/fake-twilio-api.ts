import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import express from 'express';

/**
 * An in-process stand-in for the part of the Twilio REST API we use (create and delete a Message).
 * The real twilio client talks to it over HTTP (see RebasingRequestClient), so tests assert on the
 * form bodies Twilio would receive. It can be told to refuse the next sends, or every send to a
 * number that "replied STOP" (21610). Used by tests and by the benchmarks.
 */

export interface CapturedRequest {
  readonly method: string;
  readonly path: string;
  readonly accountSid: string;
  /** The url-encoded form fields exactly as the client sent them (To, From, Body, StatusCallback…). */
  readonly form: Readonly<Record<string, string>>;
  /** When the request had arrived, body read (before any `delayResponses`): epoch milliseconds, sub-millisecond precision. */
  readonly receivedAt: number;
}

/** A scripted refusal: Twilio's status and error code. */
export interface FakeFailure {
  readonly status: number;
  readonly code: number;
  readonly message: string;
}

export const FAILURES = {
  rateLimited: { status: 429, code: 20429, message: 'Too Many Requests' },
  serverError: { status: 500, code: 20500, message: 'Internal Server Error' },
  unsubscribed: { status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' },
  invalidTo: { status: 400, code: 21211, message: "Invalid 'To' Phone Number" },
  /** Deleting a message too soon after it was sent. */
  tooEarlyToDelete: { status: 400, code: 20009, message: 'Cannot delete message because delivery has not been completed' },
} as const satisfies Record<string, FakeFailure>;

export interface FakeTwilioApi {
  readonly app: express.Express;
  /** Every request received, oldest first. */
  readonly requests: CapturedRequest[];
  /** Sends made (create Message requests that were accepted). */
  messages(): CapturedRequest[];
  /** The next sends (or deletes) fail with these answers, in order. */
  failNext(...failures: FakeFailure[]): void;
  /** Every later send to this number fails with 21610, as after a STOP to Twilio. */
  optOut(number: string): void;
  /** Holds every answer this long (to exercise client timeouts). */
  delayResponses(ms: number): void;
  reset(): void;
  /** Listens on 127.0.0.1 on an ephemeral port. */
  listen(): Promise<RunningFakeTwilioApi>;
}

export interface RunningFakeTwilioApi {
  readonly baseUrl: string;
  close(): Promise<void>;
}

export interface FakeTwilioOptions {
  readonly accountSid: string;
  readonly authToken: string;
}

export function createFakeTwilioApi(options: FakeTwilioOptions): FakeTwilioApi {
  const requests: CapturedRequest[] = [];
  const scripted: FakeFailure[] = [];
  const unsubscribed = new Set<string>();
  const expectedAuthorization = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`;
  let delayMs = 0;

  /** Twilio's answer to one request. */
  function answer(request: FakeRequest): Answer {
    const account = ACCOUNT_PATH.exec(request.url.split('?')[0] ?? '');
    if (account === null) return notFound();
    if (request.authorization !== expectedAuthorization) return twilioError({ status: 401, code: 20003, message: 'Authenticate' });
    const [, accountSid = '', resource = ''] = account;
    const { method, form } = request;
    requests.push({ method, path: request.originalUrl, accountSid, form: { ...form }, receivedAt: request.receivedAt });
    if (method === 'POST' && resource === '/Messages.json') {
      const failure = scripted.shift() ?? (unsubscribed.has(form.To ?? '') ? FAILURES.unsubscribed : undefined);
      return failure === undefined ? { status: 201, body: messageResource(accountSid, form) } : twilioError(failure);
    }
    if (method === 'DELETE' && MESSAGE_RESOURCE.test(resource)) {
      const failure = scripted.shift();
      return failure === undefined ? { status: 204 } : twilioError(failure);
    }
    return notFound();
  }

  /** Answers after `delayResponses`, if set; at once otherwise (a timer even of 0 ms holds an answer a millisecond or more). */
  function serve(request: FakeRequest, reply: (answer: Answer) => void): void {
    if (delayMs > 0) setTimeout(() => reply(answer(request)), delayMs);
    else reply(answer(request));
  }

  // For a test that mounts the fake in an express app of its own (the reliability harness records the sends).
  const app = express();
  app.use(express.urlencoded({ extended: false }));
  app.use((req, res) => {
    const request = {
      method: req.method, url: req.url, originalUrl: req.originalUrl, authorization: req.headers.authorization,
      form: (req.body ?? {}) as Record<string, string>, receivedAt: epochMs(),
    };
    serve(request, ({ status, body }) => void (body === undefined ? res.status(status).end() : res.status(status).json(body)));
  });

  // Listening, it answers on node's HTTP server: in the benchmark it shares the service's cores (decision 0073).
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = req.url ?? '';
      const request = {
        method: req.method ?? '', url, originalUrl: url, authorization: req.headers.authorization,
        form: Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))), receivedAt: epochMs(),
      };
      serve(request, ({ status, body }) => {
        const json = body === undefined ? undefined : JSON.stringify(body);
        res.writeHead(status, json === undefined ? {} : { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(json) });
        res.end(json);
      });
    });
  };

  return {
    app,
    requests,
    messages: () => requests.filter((r) => r.method === 'POST' && r.path.endsWith('/Messages.json')),
    failNext: (...failures) => void scripted.push(...failures),
    optOut: (number) => void unsubscribed.add(number),
    delayResponses: (ms) => void (delayMs = ms),
    reset() {
      requests.length = 0;
      scripted.length = 0;
      unsubscribed.clear();
      delayMs = 0;
    },
    listen: () => listenOnLoopback(createServer(handle)),
  };
}

const ACCOUNT_PATH = /^\/2010-04-01\/Accounts\/([^/]+)(\/.*)?$/;
const MESSAGE_RESOURCE = /^\/Messages\/[^/]+\.json$/;

/** A status and, unless 204, the JSON body Twilio answers with. */
interface Answer {
  readonly status: number;
  readonly body?: unknown;
}

/**
 * One request as the fake reads it: `url` is routed on, `originalUrl` recorded (they differ when a test's app
 * mounts this one and rewrites the URL first); `receivedAt` is when its form had been read.
 */
interface FakeRequest {
  readonly method: string;
  readonly url: string;
  readonly originalUrl: string;
  readonly authorization: string | undefined;
  readonly form: Record<string, string>;
  readonly receivedAt: number;
}

/** Epoch milliseconds with sub-millisecond precision, comparable with another process's. */
const epochMs = () => performance.timeOrigin + performance.now();

function twilioError(failure: FakeFailure): Answer {
  return {
    status: failure.status,
    body: { code: failure.code, message: failure.message, more_info: `https://www.twilio.com/docs/errors/${failure.code}`, status: failure.status },
  };
}

function notFound(): Answer {
  return twilioError({ status: 404, code: 20404, message: 'The requested resource was not found' });
}

/** The fields of Twilio's Message resource that clients read, shaped as Twilio returns them. */
function messageResource(accountSid: string, form: Record<string, string>) {
  const sid = `SM${randomBytes(16).toString('hex')}`;
  const now = new Date().toUTCString().replace('GMT', '+0000');
  const uri = `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`;
  return {
    account_sid: accountSid,
    api_version: '2010-04-01',
    body: form.Body ?? '',
    date_created: now,
    date_sent: null,
    date_updated: now,
    direction: 'outbound-api',
    error_code: null,
    error_message: null,
    from: form.From ?? null,
    messaging_service_sid: form.MessagingServiceSid ?? null,
    num_media: '0',
    num_segments: '1',
    price: null,
    price_unit: 'USD',
    sid,
    // Without a Messaging Service a new message is `queued`; with one it is `accepted`.
    status: form.MessagingServiceSid === undefined ? 'queued' : 'accepted',
    subresource_uris: { media: `${uri.replace('.json', '')}/Media.json` },
    to: form.To ?? '',
    uri,
  };
}

function listenOnLoopback(server: Server): Promise<RunningFakeTwilioApi> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        baseUrl: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
