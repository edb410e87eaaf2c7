/**
 * The fake Twilio API (src/adapters/twilio/fake-twilio-api.ts) behind a thin recorder: every create-
 * Message request is kept with the status it was answered and when, so checks can tell an accepted
 * send from a refused one and see when retries came. Several service instances may share it, each with
 * its own base URL (`viaBaseUrl(label)`), so every send is also known by the instance that made it, and
 * by the message SID the fake answered with (what the instance then marks sent).
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
  /** The sender: the From number, or the Messaging Service SID. */
  readonly from?: string;
  /** The message SID the fake answered with (accepted sends only). */
  readonly sid?: string;
  /** The instance that sent it: the label of the base URL it was sent through (`viaBaseUrl`). */
  readonly via?: string;
}

export interface RecordingTwilio {
  readonly api: FakeTwilioApi;
  readonly baseUrl: string;
  /** A base URL for one instance (TWILIO_API_BASE_URL): its sends are recorded with `via` = label. */
  viaBaseUrl(label: string): string;
  /** Every create-Message request, oldest first. */
  readonly sends: TwilioSend[];
  accepted(): TwilioSend[];
  close(): Promise<void>;
}

const VIA = /^\/via\/([\w-]+)(\/.*)$/;

export async function recordingTwilio(port = 0): Promise<RecordingTwilio> {
  const api = createFakeTwilioApi({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  const sends: TwilioSend[] = [];
  const app = express();
  app.use(express.urlencoded({ extended: false }));
  app.use((req, res, next) => {
    const at = Date.now();
    const routed = VIA.exec(req.url);
    if (routed !== null) req.url = routed[2]!;
    if (req.method === 'POST' && req.path.endsWith('/Messages.json')) {
      const form = req.body as Record<string, string>;
      let sid: string | undefined;
      const json = res.json.bind(res);
      res.json = (body: { sid?: string }) => {
        sid = body?.sid;
        return json(body);
      };
      res.on('finish', () => void sends.push({
        to: form.To ?? '', body: form.Body ?? '', status: res.statusCode, at, from: form.From ?? form.MessagingServiceSid ?? '',
        ...(sid === undefined ? {} : { sid }), ...(routed === null ? {} : { via: routed[1]! }),
      }));
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
    viaBaseUrl: (label) => `http://127.0.0.1:${bound}/via/${label}`,
    accepted: () => sends.filter((send) => send.status === 201),
    close: () => new Promise((done) => {
      server.close(() => done());
      server.closeAllConnections();
    }),
  };
}
