import type { Survey } from '../dictionary/model.js';
import { decideInvite, MACHINE_VERSION, NO_CONTEXT_CHANGES, SNAPSHOT_FORMAT, step, type ConversationPlace, type ConversationStatus } from '../conversation/index.js';
import type { RecordData } from '../logic/index.js';
import type { ConversationStore } from '../ports/storage/conversation-store.js';
import type { ConversationDeps } from './conversation-deps.js';
import { asOpen, offerChoice, openRows, type PhoneScope } from './phone-conversations.js';
import { applyEffects, stepStored } from './step-conversation.js';

export interface InviteInput {
  project: string;
  survey: Survey;
  instrument: string;
  recordId: string;
  /** E.164. */
  phone: string;
  /** The record's data before the survey (for branching, piping and the time-zone field). */
  record: RecordData;
  /** In a longitudinal or repeating project: the event, repeat instance, design and the record's other rows. */
  place?: ConversationPlace;
  /** The language the invitation chose (an MLM language id); otherwise the record's language field decides. */
  language?: string;
}

export interface InviteResult {
  conversationId: string;
  status: ConversationStatus;
}

/**
 * Starts a conversation, in one transaction: pins the survey version, applies the project's overlap
 * policy to the phone's other open conversations, and stores the invitation texts and timers. `on` is
 * where the unit runs: the store, or an open unit it joins (the invitation's own, see scheduled-invitations.ts).
 */
export function invite(deps: ConversationDeps, input: InviteInput, on: ConversationStore = deps.store): Promise<InviteResult> {
  return on.transaction(async (tx) => {
    const scope: PhoneScope = { deps, tx, now: deps.clock.now(), project: input.project, phone: input.phone };
    const setup = deps.project(input.project);
    await tx.saveSurvey(input.survey, scope.now.toISOString());
    const open = await openRows(scope);
    const decision = decideInvite(setup.settings.overlap, open.map(asOpen), input);
    for (const row of open) {
      if (decision.supersede.includes(row.id)) await stepStored(scope, row, { type: 'superseded' });
      // Set aside, its snapshot as it was: no answer row to write.
      else if (decision.setAside.includes(row.id)) await tx.updateConversation({ ...row, active: false, updatedAt: scope.now.toISOString() }, row.revision, row, NO_CONTEXT_CHANGES);
    }
    const start = {
      ...input.place, phone: input.phone, instrument: input.instrument, recordId: input.recordId, record: input.record,
      ...(input.language === undefined ? {} : { language: input.language }),
    };
    const result = step(input.survey, null, { type: 'invite', start, hold: decision.hold }, scope.now, setup.settings, setup.catalog, setup.languages);
    const row = {
      id: deps.newId(), project: input.project, phone: input.phone, recordId: input.recordId,
      instrument: input.instrument, surveyVersion: input.survey.id, status: result.status, open: result.open,
      active: result.open && !decision.hold, snapshot: result.snapshot, snapshotFormat: SNAPSHOT_FORMAT,
      machineVersion: MACHINE_VERSION, revision: 0, createdAt: scope.now.toISOString(), updatedAt: scope.now.toISOString(),
    };
    await tx.insertConversation(row);
    await applyEffects(scope, row, result.effects);
    if (decision.offerChoice) await offerChoice(scope, false);
    return { conversationId: row.id, status: result.status };
  });
}
