import twilio from 'twilio';
import { RebasingRequestClient } from './rebasing-request-client.js';
import type { TwilioSenderOptions } from './sms-sender.js';

/** What deleting one Message resource came to. */
export type EraseOutcome =
  /** Deleted now, or already gone (404): either way Twilio no longer holds it. */
  | 'erased'
  /** Twilio 20009: the message is too fresh to delete; try again later. */
  | 'too-early'
  | 'failed';

export interface MessageEraser {
  erase(sid: string): Promise<EraseOutcome>;
}

const TOO_EARLY = 20009;

/** `messages(sid).remove()` through the official client (pointed at an emulator when apiBaseUrl is set). */
export function createTwilioEraser(options: TwilioSenderOptions): MessageEraser {
  const clientOptions = { timeout: options.timeoutMs ?? 15_000, autoRetry: false };
  const httpClient = options.apiBaseUrl === undefined ? new twilio.RequestClient(clientOptions) : new RebasingRequestClient(options.apiBaseUrl, clientOptions);
  const client = twilio(options.accountSid, options.authToken, { httpClient });
  return {
    async erase(sid) {
      try {
        await client.messages(sid).remove();
        return 'erased';
      } catch (error) {
        if (!(error instanceof twilio.RestException)) return 'failed';
        if (error.status === 404) return 'erased';
        return error.code === TOO_EARLY ? 'too-early' : 'failed';
      }
    },
  };
}
