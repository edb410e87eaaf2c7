import type { ConversationDeps } from './deps.js';
import { handleInbound, type InboundResult } from './handle-inbound.js';

/** Twilio Advanced Opt-Out's classification of an inbound text (the `OptOutType` parameter). */
export type ProviderOptOutType = 'STOP' | 'START' | 'HELP';

export interface ProviderText {
  readonly provider: string;
  readonly providerMessageId: string;
  readonly project: string;
  readonly from: string;
  readonly body: string;
  /** Present when the provider recognised an opt-out keyword and has already replied itself. */
  readonly optOutType: ProviderOptOutType | undefined;
}

/** Our replies the provider has already sent in its own words, per keyword. */
const PROVIDER_ANSWERED = { STOP: 'opted-out', START: 'opted-in', HELP: 'help' } as const;

/**
 * Runs `handleInbound` for a provider's text, honouring the provider's keyword classification:
 * its keyword (possibly one of its own, like "ARRET") is applied as ours, and our confirmation of
 * the same keyword is kept for the audit but suppressed, so the participant is not answered twice.
 * A text with a keyword is one transaction (handleInbound's own becomes a savepoint inside it).
 */
export function receiveProviderText(deps: ConversationDeps, text: ProviderText): InboundResult {
  // Most texts carry no provider keyword: their unit of work is handleInbound's own transaction alone.
  if (text.optOutType === undefined) return handleInbound(deps, text);
  const optOutType = text.optOutType;
  return deps.store.transaction(() => {
    const firstNewRow = lastOutboxId(deps) + 1;
    const result = handleInbound(deps, { ...text, body: keywordFor(deps, text.project, optOutType) });
    if (!result.duplicate) suppressConfirmations(deps, text, firstNewRow, PROVIDER_ANSWERED[optOutType]);
    return result;
  });
}

function keywordFor(deps: ConversationDeps, project: string, type: ProviderOptOutType): string {
  const keywords = deps.project(project).settings.keywords;
  const list = type === 'STOP' ? keywords.stop : type === 'START' ? keywords.start : keywords.help;
  return list[0] ?? type;
}

function lastOutboxId(deps: ConversationDeps): number {
  const row = deps.store.db.prepare('SELECT COALESCE(MAX(id), 0) AS id FROM outbox').get() as { id: number };
  return row.id;
}

function suppressConfirmations(deps: ConversationDeps, text: ProviderText, fromId: number, kind: string): void {
  deps.store.db
    .prepare(`UPDATE outbox SET status = 'suppressed', last_error = 'provider replied'
      WHERE id >= ? AND project = ? AND phone = ? AND channel = 'sms' AND kind = ? AND status = 'pending'`)
    .run(fromId, text.project, text.from, kind);
}
