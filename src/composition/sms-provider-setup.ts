import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import { createMosioProvider } from '../adapters/mosio/index.js';
import { budgetReport, withSegmentBudget } from '../adapters/provider/budgeted-sender.js';
import type { AccountStatus, SmsSender } from '../ports/sms-provider.js';
import type { InboundDeps, ProviderWebhooks, SmsProvider } from '../adapters/provider/provider.js';
import type { SegmentUsage } from '../adapters/provider/segment-budget.js';
import { createSimulatorProvider } from '../adapters/provider/simulator-provider.js';
import { createTwilioProvider } from '../adapters/provider/twilio-provider.js';
import type { Config } from '../config/env.js';
import type { ProjectRegistry } from '../config/projects.js';
import type { ProviderStorage } from './engine-storage.js';

/**
 * Picks the provider named by SMS_PROVIDER and wraps it for the service: the dispatcher gets its
 * sender behind the monthly segment budget, the app its webhooks, /readyz its account and budget detail.
 */

export interface SmsProviderSetup {
  readonly name: SmsProvider['name'];
  /** What the dispatcher sends with (the budget applied). */
  readonly sender: SmsSender;
  readonly webhooks: (deps: InboundDeps) => ProviderWebhooks;
  /** Checks the account now (start-up) and keeps the answer for /readyz. */
  checkAccount(): Promise<AccountStatus>;
  /** For /readyz: the last account check (re-checked in the background when stale) and the budgets. */
  detail(): Promise<Record<string, unknown>>;
}

export interface SmsProviderSetupDeps {
  readonly config: Config;
  readonly projects: ProjectRegistry;
  /** Where Mosio's repeat check reads and the simulator keeps its handsets: SQLite or PostgreSQL alike. */
  readonly storage: ProviderStorage;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Replaces the provider's sender (the demo's simulator handsets); its webhooks stay. */
  readonly sender?: SmsSender | undefined;
  /** The monthly segment counts, in the service's storage. */
  readonly usage: SegmentUsage;
}

/** How old the account check may be before /readyz triggers a new one. */
const ACCOUNT_CHECK_STALE_MS = 5 * 60_000;

export function setUpSmsProvider(deps: SmsProviderSetupDeps): SmsProviderSetup {
  const provider = chooseProvider(deps);
  const { usage } = deps;
  let account: AccountStatus | undefined;
  let checking: Promise<AccountStatus> | undefined;
  const checkAccount = () =>
    (checking ??= provider.checkAccount().then((status) => {
      account = status;
      checking = undefined;
      const log = { provider: provider.name, detail: status.detail };
      if (status.ok) deps.logger.info(log, 'SMS provider account checked');
      else deps.logger.error(log, 'SMS provider account check failed');
      return status;
    }));
  return {
    name: provider.name,
    sender: withSegmentBudget(deps.sender ?? provider, { usage, projects: deps.projects, clock: deps.clock, logger: deps.logger }),
    webhooks: (inbound) => provider.webhooks(inbound) ?? [],
    checkAccount,
    async detail() {
      const stale = account === undefined || deps.clock.now().getTime() - Date.parse(account.checkedAt) > ACCOUNT_CHECK_STALE_MS;
      if (stale && checking === undefined) void checkAccount();
      return {
        provider: { name: provider.name, account: account ?? { ok: false, detail: 'not checked yet' } },
        segmentBudgets: await budgetReport({ usage, projects: deps.projects, clock: deps.clock }),
      };
    },
  };
}

/**
 * The provider's inbound webhooks alone, for the HTTP thread when the engine runs in its own thread:
 * they only read the storage (Mosio's repeat check), so the storage on a read-only connection serves them.
 */
export function providerWebhooks(deps: Omit<SmsProviderSetupDeps, 'sender' | 'usage'>): (inbound: InboundDeps) => ProviderWebhooks {
  const provider = chooseProvider(deps);
  return (inbound) => provider.webhooks(inbound) ?? [];
}

function chooseProvider(deps: Omit<SmsProviderSetupDeps, 'sender' | 'usage'>): SmsProvider {
  const { config, clock, storage } = deps;
  const now = () => clock.now();
  switch (config.smsProvider) {
    case 'twilio':
      return createTwilioProvider(config.twilio, config.publicUrl, now);
    case 'mosio':
      return createMosioProvider({ apiBaseUrl: config.mosio.apiBaseUrl, publicUrl: config.publicUrl, projects: deps.projects, inbound: storage.inboundHistory, now });
    case 'simulator':
      return createSimulatorProvider(storage.simulatorPhones, clock);
  }
}
