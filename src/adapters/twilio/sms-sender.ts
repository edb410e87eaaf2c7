import twilio from 'twilio';
import { TWILIO_UNSUBSCRIBED, type SendOutcome, type SmsRequest, type SmsSender } from '../../ports/sms-provider.js';
import { RebasingRequestClient } from './rebasing-request-client.js';

// The sender types are the provider port's; re-exported so Twilio-side imports keep working.
export type { SendOutcome, SmsRequest, SmsSender } from '../../ports/sms-provider.js';
export { TWILIO_UNSUBSCRIBED } from '../../ports/sms-provider.js';

export interface TwilioSenderOptions {
  readonly accountSid: string;
  readonly authToken: string;
  /** An emulator base URL; unset means the real https://api.twilio.com. */
  readonly apiBaseUrl?: string | undefined;
  readonly timeoutMs?: number;
}

/** A sender backed by the official twilio client. Retries are the dispatcher's job, not the library's. */
export function createTwilioSender(options: TwilioSenderOptions): SmsSender {
  const clientOptions = { timeout: options.timeoutMs ?? 15_000, autoRetry: false };
  const httpClient =
    options.apiBaseUrl === undefined
      ? new twilio.RequestClient(clientOptions)
      : new RebasingRequestClient(options.apiBaseUrl, clientOptions);
  const client = twilio(options.accountSid, options.authToken, { httpClient });
  return {
    async send(request) {
      try {
        const message = await client.messages.create(createParams(request));
        return { kind: 'sent', sid: message.sid, status: message.status };
      } catch (error) {
        return classify(error);
      }
    },
  };
}

function createParams(request: SmsRequest) {
  return {
    to: request.to,
    body: request.body,
    ...(request.messagingServiceSid !== undefined
      ? { messagingServiceSid: request.messagingServiceSid }
      : { from: request.from ?? '' }),
    ...(request.statusCallback !== undefined ? { statusCallback: request.statusCallback } : {}),
  };
}

/** Maps a failed create call to an outcome; error messages name codes, never the recipient. */
export function classify(error: unknown): SendOutcome {
  if (error instanceof twilio.RestException) {
    if (error.code === TWILIO_UNSUBSCRIBED) return { kind: 'opted-out', code: error.code };
    if (error.status === 429 || error.status >= 500) return { kind: 'retry', reason: `HTTP ${error.status} (${error.code ?? 'no code'})` };
    return { kind: 'rejected', reason: `HTTP ${error.status} (${error.code ?? 'no code'})`, code: error.code };
  }
  // No HTTP answer at all: timeouts (ECONNABORTED, ETIMEDOUT), refused or reset connections.
  const code = (error as { code?: unknown } | null)?.code;
  return { kind: 'retry', reason: typeof code === 'string' ? code : 'network error' };
}
