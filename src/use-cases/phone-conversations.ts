import type { ConversationRow } from '../ports/storage/rows.js';
import { afterClose, choiceText, conversationLanguage, endOfQuiet, phoneTexts, type OpenConversation } from '../conversation/index.js';
import { NO_LANGUAGES } from '../languages/index.js';
import { enqueueText, stepStored, type StepScope } from './step-conversation.js';

/** The phone-level view of a project's conversations: the ones still open for one number. */
export interface PhoneScope extends StepScope {
  project: string;
  phone: string;
}

export function openRows(scope: PhoneScope): Promise<ConversationRow[]> {
  return scope.tx.openConversations(scope.project, scope.phone);
}

export function asOpen(row: ConversationRow): OpenConversation {
  return { id: row.id, instrument: row.instrument, recordId: row.recordId, active: row.active };
}

/**
 * The project's texts for this phone outside any step, in the language `row` speaks: the phone's newest
 * conversation, or the newest of those offered; the default language when there is none.
 */
export function phoneTextsOf(scope: PhoneScope, row: ConversationRow | undefined): ReturnType<typeof phoneTexts> {
  const setup = scope.deps.project(scope.project);
  return phoneTexts(setup.settings, setup.catalog, setup.languages ?? NO_LANGUAGES, row === undefined ? undefined : conversationLanguage(row.snapshot));
}

/** Sends the numbered list of waiting surveys; unsolicited lists wait for the end of quiet hours. */
export async function offerChoice(scope: PhoneScope, solicited: boolean, again = false): Promise<void> {
  const setup = scope.deps.project(scope.project);
  const open = await openRows(scope);
  const { catalog } = phoneTextsOf(scope, open.at(-1));
  const body = choiceText(open.map(asOpen), setup.settings, catalog, again);
  const notBefore = endOfQuiet(scope.now, setup.settings.timeZone, setup.settings.quietHours);
  await enqueueText(scope, null, {
    type: 'send', to: scope.phone, parts: [body], kind: 'choice',
    ...(solicited || notBefore.getTime() === scope.now.getTime() ? {} : { notBefore: notBefore.toISOString() }),
  }, scope.project);
}

/** Makes `row` the phone's active conversation and lets it speak (invitation, or its question again). */
export async function activate(scope: PhoneScope, row: ConversationRow, solicited: boolean): Promise<void> {
  await stepStored(scope, { ...row, active: true }, { type: 'activate', solicited });
}

/** After a conversation closes, the next waiting invitation starts (FIRST) or is offered (CHOICE). */
export async function continueWithWaiting(scope: PhoneScope, solicited: boolean): Promise<void> {
  const open = await openRows(scope);
  const next = afterClose(scope.deps.project(scope.project).settings.overlap, open.map(asOpen));
  if (next.kind === 'activate') {
    const row = open.find((candidate) => candidate.id === next.id);
    if (row !== undefined) await activate(scope, row, solicited);
  } else if (next.kind === 'offerChoice') {
    await offerChoice(scope, solicited);
  }
}

/** An opt-out reaches every open conversation of the phone, so none of them sends or reminds. */
export async function optOutEverywhere(scope: PhoneScope, exceptId: string | null, source: 'keyword' | 'provider' = 'keyword'): Promise<void> {
  const store = scope.tx;
  await store.optOut(scope.project, scope.phone, scope.now.toISOString(), source);
  await store.suppressPendingTexts(scope.project, scope.phone);
  for (const row of await openRows(scope)) {
    if (row.id !== exceptId) await stepStored(scope, row, { type: 'optedOut' });
  }
}
