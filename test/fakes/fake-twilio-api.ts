import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express, { type Request, type Response } from 'express';

/**
 * An in-process stand-in for the part of the Twilio REST API we use (create and delete a Message).
 * The real twilio client talks to it over HTTP (see RebasingRequestClient), so tests assert on the
 * form bodies Twilio would receive. It can be told to refuse the next sends, or every send to a
 * number that "replied STOP" (21610). Used by tests and by the demo.
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
  let delayMs = 0;

  const app = express();
  app.use(express.urlencoded({ extended: false }));
  app.use((_req, res, next) => {
    res.locals.receivedAt = performance.timeOrigin + performance.now();
    next();
  });
  app.use((_req, _res, next) => void setTimeout(next, delayMs));
  app.use('/2010-04-01/Accounts/:accountSid', (req: Request<{ accountSid: string }>, res, next) => {
    if (!authorised(req, options)) return void twilioError(res, { status: 401, code: 20003, message: 'Authenticate' });
    requests.push({
      method: req.method, path: req.originalUrl, accountSid: req.params.accountSid, form: { ...req.body }, receivedAt: res.locals.receivedAt as number,
    });
    next();
  });
  app.post('/2010-04-01/Accounts/:accountSid/Messages.json', (req: Request<{ accountSid: string }>, res) => {
    const form = req.body as Record<string, string>;
    const failure = scripted.shift() ?? (unsubscribed.has(form.To ?? '') ? FAILURES.unsubscribed : undefined);
    if (failure !== undefined) return void twilioError(res, failure);
    res.status(201).json(messageResource(req.params.accountSid, form));
  });
  app.delete('/2010-04-01/Accounts/:accountSid/Messages/:sid.json', (_req, res) => {
    const failure = scripted.shift();
    if (failure !== undefined) return void twilioError(res, failure);
    res.status(204).end();
  });

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
    listen: () => listenOnLoopback(app),
  };
}

function authorised(req: Request, options: FakeTwilioOptions): boolean {
  const expected = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`;
  return req.headers.authorization === expected;
}

function twilioError(res: Response, failure: FakeFailure): void {
  res.status(failure.status).json({
    code: failure.code,
    message: failure.message,
    more_info: `https://www.twilio.com/docs/errors/${failure.code}`,
    status: failure.status,
  });
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

function listenOnLoopback(app: express.Express): Promise<RunningFakeTwilioApi> {
  return new Promise((resolve, reject) => {
    const server = app.listen(0, '127.0.0.1', (error?: Error) => {
      if (error !== undefined) return reject(error);
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
