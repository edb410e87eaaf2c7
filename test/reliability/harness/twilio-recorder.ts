/**
 * The fake Twilio API (src/adapters/twilio/fake-twilio-api.ts) behind a thin recorder: every create-
 * Message request is kept with the status it was answered and when, so checks can tell an accepted
 * send from a refused one and see when retries came.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createFakeTwilioApi, type FakeTwilioApi } from '../../fakes/fake-twilio-api.js';
import { ACCOUNT_SID, AUTH_TOKEN } from './study.js';

export interface TwilioSend {
  readonly to: string;
  readonly body: string;
  /** HTTP status the fake answered (201 accepted). */
  readonly status: number;
  /** Wall-clock ms when the request arrived. */
  readonly at: number;
}

export interface RecordingTwilio {
  readonly api: FakeTwilioApi;
  readonly baseUrl: string;
  /** Every create-Message request, oldest first. */
  readonly sends: TwilioSend[];
  accepted(): TwilioSend[];
  close(): Promise<void>;
}

export async function recordingTwilio(port = 0): Promise<RecordingTwilio> {
  const api = createFakeTwilioApi({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  const sends: TwilioSend[] = [];
  const app = express();
  app.use(express.urlencoded({ extended: false }));
  app.use((req, res, next) => {
    const at = Date.now();
    if (req.method === 'POST' && req.path.endsWith('/Messages.json')) {
      const form = req.body as Record<string, string>;
      res.on('finish', () => void sends.push({ to: form.To ?? '', body: form.Body ?? '', status: res.statusCode, at }));
    }
    next();
  });
  app.use(api.app);
  const server: Server = await new Promise((resolve, reject) => {
    const listening = app.listen(port, '127.0.0.1', (error?: Error) => (error === undefined ? resolve(listening) : reject(error)));
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    api, sends, baseUrl: `http://127.0.0.1:${bound}`,
    accepted: () => sends.filter((send) => send.status === 201),
    close: () => new Promise((done) => {
      server.close(() => done());
      server.closeAllConnections();
    }),
  };
}
