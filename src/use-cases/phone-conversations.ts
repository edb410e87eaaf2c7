import type { ConversationRow } from '../ports/storage/rows.js';
import { afterClose, choiceText, endOfQuiet, type OpenConversation } from '../conversation/index.js';
import { enqueueText, stepStored, type StepScope } from './step-conversation.js';

/** The phone-level view of a project's conversations: the ones still open for one number. */
export interface PhoneScope extends StepScope {
  project: string;
  phone: string;
}

export function openRows(scope: PhoneScope): ConversationRow[] {
  return scope.deps.store.openConversations(scope.project, scope.phone);
}

export function asOpen(row: ConversationRow): OpenConversation {
  return { id: row.id, instrument: row.instrument, recordId: row.recordId, active: row.active };
}

/** Sends the numbered list of waiting surveys; unsolicited lists wait for the end of quiet hours. */
export function offerChoice(scope: PhoneScope, solicited: boolean, again = false): void {
  const setup = scope.deps.project(scope.project);
  const open = openRows(scope);
  const body = choiceText(open.map(asOpen), setup.settings, setup.catalog, again);
  const notBefore = endOfQuiet(scope.now, setup.settings.timeZone, setup.settings.quietHours);
  enqueueText(scope, null, {
    type: 'send', to: scope.phone, parts: [body], kind: 'choice',
    ...(solicited || notBefore.getTime() === scope.now.getTime() ? {} : { notBefore: notBefore.toISOString() }),
  }, scope.project);
}

/** Makes `row` the phone's active conversation and lets it speak (invitation, or its question again). */
export function activate(scope: PhoneScope, row: ConversationRow, solicited: boolean): void {
  stepStored(scope, { ...row, active: true }, { type: 'activate', solicited });
}

/** After a conversation closes, the next waiting invitation starts (FIRST) or is offered (CHOICE). */
export function continueWithWaiting(scope: PhoneScope, solicited: boolean): void {
  const open = openRows(scope);
  const next = afterClose(scope.deps.project(scope.project).settings.overlap, open.map(asOpen));
  if (next.kind === 'activate') {
    const row = open.find((candidate) => candidate.id === next.id);
    if (row !== undefined) activate(scope, row, solicited);
  } else if (next.kind === 'offerChoice') {
    offerChoice(scope, solicited);
  }
}

/** An opt-out reaches every open conversation of the phone, so none of them sends or reminds. */
export function optOutEverywhere(scope: PhoneScope, exceptId: string | null, source: 'keyword' | 'provider' = 'keyword'): void {
  const { store } = scope.deps;
  store.optOut(scope.project, scope.phone, scope.now.toISOString(), source);
  store.suppressPendingTexts(scope.project, scope.phone);
  for (const row of openRows(scope)) {
    if (row.id !== exceptId) stepStored(scope, row, { type: 'optedOut' });
  }
}
