import type { ProviderOptOutType, ProviderText } from '../ports/sms-provider.js';
import type { ConversationDeps } from './conversation-deps.js';
import { handleInbound } from './handle-inbound.js';
import type { InboundResult } from '../ports/sms-provider.js';
import type { ConversationStore } from '../ports/storage/conversation-store.js';

/** Our replies the provider has already sent in its own words, per keyword. */
const PROVIDER_ANSWERED = { STOP: 'opted-out', START: 'opted-in', HELP: 'help' } as const;

/**
 * Runs `handleInbound` for a provider's text, honouring the provider's keyword classification:
 * its keyword (possibly one of its own, like "ARRET") is applied as ours, and our confirmation of
 * the same keyword is kept for the audit but suppressed, so the participant is not answered twice.
 */
export function receiveProviderText(deps: ConversationDeps, text: ProviderText, on: ConversationStore = deps.store): Promise<InboundResult> {
  // Most texts carry no provider keyword: their unit of work is handleInbound's own.
  if (text.optOutType === undefined) return handleInbound(deps, text, on);
  return handleInbound(deps, {
    ...text, body: keywordFor(deps, text.project, text.optOutType), providerAnswered: PROVIDER_ANSWERED[text.optOutType],
  }, on);
}

function keywordFor(deps: ConversationDeps, project: string, type: ProviderOptOutType): string {
  const keywords = deps.project(project).settings.keywords;
  const list = type === 'STOP' ? keywords.stop : type === 'START' ? keywords.start : keywords.help;
  return list[0] ?? type;
}
