import twilio from 'twilio';
import { RebasingRequestClient } from './rebasing-request-client.js';
import type { TwilioSenderOptions } from './sms-sender.js';
import type { MessageEraser } from '../../ports/sms-provider.js';

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
