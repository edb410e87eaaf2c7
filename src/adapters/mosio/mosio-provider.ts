import { randomUUID } from 'node:crypto';
import type { ProjectRegistry } from '../../config/projects.js';
import type { InboundHistory } from '../../ports/storage/inbound-history.js';
import type { SmsProvider } from '../provider/provider.js';
import { createMosioApi } from './mosio-api.js';
import { InboundRepeats } from './inbound-repeats.js';
import { mosioWebhooks } from './inbound-webhook.js';
import { createMosioSender } from './mosio-sender.js';
import { verifyMosioAccounts } from './verification.js';

export interface MosioProviderOptions {
  readonly apiBaseUrl: string;
  /** Our public base URL; Mosio is told to post replies to `<publicUrl>/webhooks/mosio/sms`. */
  readonly publicUrl: string;
  readonly projects: ProjectRegistry;
  /** The service's stored inbound texts, where repeats are found (SQLite or PostgreSQL). */
  readonly inbound: InboundHistory;
  readonly now: () => Date;
  readonly timeoutMs?: number;
}

/** Mosio behind the provider port: `redcap_send_sms` out, `/webhooks/mosio/sms` in, `redcap_verification` as the account check. */
export function createMosioProvider(options: MosioProviderOptions): SmsProvider {
  const api = createMosioApi({ baseUrl: options.apiBaseUrl, ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }) });
  const inboundUrl = `${options.publicUrl}/webhooks/mosio/sms`;
  const sender = createMosioSender({
    api, inboundUrl, newId: randomUUID,
    account: (project) => options.projects.byId(project)?.sender.mosio,
  });
  const repeats = new InboundRepeats(options.inbound);
  return {
    name: 'mosio',
    send: (request) => sender.send(request),
    checkAccount: () => verifyMosioAccounts({ api, inboundUrl, projects: options.projects.projects, now: options.now }),
    webhooks: (deps) => mosioWebhooks(deps, repeats),
  };
}
