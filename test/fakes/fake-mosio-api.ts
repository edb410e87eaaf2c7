import type { AddressInfo } from 'node:net';
import express, { type Request } from 'express';

/**
 * An in-process stand-in for Mosio's REDCap integration API (`redcap_send_sms`, `redcap_verification`).
 * The real Mosio sender talks to it over HTTP, so tests assert the JSON bodies and the Basic auth
 * Mosio would receive. It can be told to answer the next requests with a scripted failure.
 */

export interface CapturedMosioRequest {
  readonly endpoint: string;
  /** The decoded Basic auth user name (the API key) and password; undefined without Basic auth. */
  readonly auth: { readonly user: string; readonly password: string } | undefined;
  readonly body: Readonly<Record<string, unknown>>;
}

/** A scripted answer: the HTTP status and JSON body Mosio replies with. */
export interface FakeMosioAnswer {
  readonly status: number;
  readonly body: Readonly<Record<string, unknown>>;
}

export const MOSIO_ANSWERS = {
  refused: { status: 200, body: { Success: 0, ErrorMessage: 'Phone number is not valid' } },
  successWithError: { status: 200, body: { Success: 1, ErrorMessage: 'Account suspended' } },
  serverError: { status: 500, body: { Message: 'An error has occurred.' } },
  unauthorised: { status: 401, body: { Message: 'Authorization has been denied for this request.' } },
} as const satisfies Record<string, FakeMosioAnswer>;

export interface FakeMosioApi {
  readonly app: express.Express;
  /** Every request received, oldest first (wrong keys included). */
  readonly requests: CapturedMosioRequest[];
  /** Accepted `redcap_send_sms` requests. */
  sends(): CapturedMosioRequest[];
  /** The next requests get these answers, in order. */
  answerNext(...answers: FakeMosioAnswer[]): void;
  reset(): void;
  listen(): Promise<{ readonly baseUrl: string; close(): Promise<void> }>;
}

/** `apiKeys`: the keys Mosio knows; any other gets 401, as a real account would. */
export function createFakeMosioApi(options: { readonly apiKeys: readonly string[] }): FakeMosioApi {
  const requests: CapturedMosioRequest[] = [];
  const scripted: FakeMosioAnswer[] = [];
  const accepted: CapturedMosioRequest[] = [];
  const app = express();
  app.use(express.json());
  app.post('/api/:endpoint', (req: Request<{ endpoint: string }>, res) => {
    const captured = { endpoint: req.params.endpoint, auth: basicAuth(req.headers.authorization), body: { ...(req.body as object) } };
    requests.push(captured);
    const answer = scripted.shift() ?? defaultAnswer(captured, options.apiKeys);
    if (answer.status === 200 && answer.body.Success === 1 && answer.body.ErrorMessage === '' && captured.endpoint === 'redcap_send_sms') {
      accepted.push(captured);
    }
    res.status(answer.status).json(answer.body);
  });
  return {
    app, requests,
    sends: () => [...accepted],
    answerNext: (...answers) => void scripted.push(...answers),
    reset() {
      requests.length = 0;
      scripted.length = 0;
      accepted.length = 0;
    },
    listen: () => listenOnLoopback(app),
  };
}

function defaultAnswer(request: CapturedMosioRequest, apiKeys: readonly string[]): FakeMosioAnswer {
  if (request.auth === undefined || !apiKeys.includes(request.auth.user)) return MOSIO_ANSWERS.unauthorised;
  if (request.endpoint === 'redcap_verification') return { status: 200, body: { Success: 1, ErrorMessage: '', AccountStatus: 'Active' } };
  if (request.endpoint !== 'redcap_send_sms') return { status: 404, body: { Message: 'No such endpoint' } };
  const complete = typeof request.body.Phone === 'string' && typeof request.body.Body === 'string' && request.body.Body !== '';
  return complete ? { status: 200, body: { Success: 1, ErrorMessage: '' } } : MOSIO_ANSWERS.refused;
}

function basicAuth(header: string | undefined): CapturedMosioRequest['auth'] {
  if (header?.startsWith('Basic ') !== true) return undefined;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function listenOnLoopback(app: express.Express): Promise<{ baseUrl: string; close(): Promise<void> }> {
  return new Promise((resolve, reject) => {
    const server = app.listen(0, '127.0.0.1', (error?: Error) => {
      if (error !== undefined) return reject(error);
      const { port } = server.address() as AddressInfo;
      resolve({
        baseUrl: `http://127.0.0.1:${port}/api`,
        close: () =>
          new Promise((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
