import type { TwilioAccountConfig } from '../../config/env.js';
import { twilioWebhooks } from '../http/twilio-webhooks.js';
import { createTwilioSender } from '../twilio/sms-sender.js';
import type { SmsProvider } from './provider.js';

/** Twilio behind the provider port: the REST client out, the signed webhooks in. */
export function createTwilioProvider(account: TwilioAccountConfig, publicUrl: string, now: () => Date): SmsProvider {
  const sender = createTwilioSender(account);
  return {
    name: 'twilio',
    send: (request) => sender.send(request),
    // No account call is made at start-up: the first send tells, and the status webhook reports.
    checkAccount: () => Promise.resolve({ ok: true, detail: 'not checked (Twilio reports per send)', checkedAt: now().toISOString() }),
    webhooks: (deps) => twilioWebhooks(deps, { authToken: account.authToken, publicUrl, enabled: account.validateSignature }),
  };
}
