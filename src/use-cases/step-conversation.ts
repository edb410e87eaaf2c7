import type { UnitOfWork } from '../ports/storage/conversation-store.js';
import type { ConversationRow } from '../ports/storage/rows.js';
import {
  IncompatibleSnapshot, MACHINE_VERSION, NO_CONTEXT_CHANGES, SNAPSHOT_FORMAT, step,
  type ConversationEvent, type Effect, type StepResult,
} from '../conversation/index.js';
import type { ConversationDeps } from './conversation-deps.js';

/** Where one step happens: which project, which phone, at what time. */
export interface StepScope {
  deps: ConversationDeps;
  /** The unit of work the step's reads and writes belong to. */
  tx: UnitOfWork;
  now: Date;
  /** The kind of our reply the provider has already sent itself (its STOP/START/HELP answer): stored suppressed. */
  providerAnswered?: string | undefined;
}

/**
 * Steps a stored conversation and persists the result: the snapshot (revision-checked), then every
 * effect as rows, in the scope's unit of work. A snapshot the machine cannot read is flagged for staff
 * and left as it was — never silently restarted.
 */
export async function stepStored(scope: StepScope, row: ConversationRow, event: ConversationEvent): Promise<StepResult | null> {
  const setup = scope.deps.project(row.project);
  let result: StepResult;
  try {
    assertCompatible(row);
    result = step(await scope.tx.loadSurvey(row.surveyVersion), row.snapshot, event, scope.now, setup.settings, setup.catalog, setup.languages);
  } catch (error) {
    if (!(error instanceof IncompatibleSnapshot)) throw error;
    await flagIncompatible(scope, row, error);
    return null;
  }
  // Effects first: a step with effects is saved anyway, and comparing snapshots costs two serialisations.
  if (result.effects.length > 0 || JSON.stringify(result.snapshot) !== JSON.stringify(row.snapshot)) {
    // The effects' rows before the save: the save then carries the conversation's new transcript head.
    await applyEffects(scope, row, result.effects);
    await saveStepped(scope, row, result, row.active && result.open);
  }
  return result;
}

function assertCompatible(row: ConversationRow): void {
  if (row.snapshotFormat !== SNAPSHOT_FORMAT || row.machineVersion !== MACHINE_VERSION) {
    throw new IncompatibleSnapshot(
      `snapshot format ${row.snapshotFormat} / machine ${row.machineVersion}; this build reads ${SNAPSHOT_FORMAT} / ${MACHINE_VERSION}`,
    );
  }
}

async function flagIncompatible(scope: StepScope, row: ConversationRow, error: Error): Promise<void> {
  const updated = { ...row, status: 'needs_attention', updatedAt: scope.now.toISOString() };
  await scope.tx.updateConversation(updated, row.revision, row, NO_CONTEXT_CHANGES);
  await record(scope, row, 'event', 'flag', error.message);
}

export async function saveStepped(scope: StepScope, row: ConversationRow, result: StepResult, active: boolean): Promise<ConversationRow> {
  const saved: ConversationRow = {
    ...row,
    snapshot: result.snapshot,
    status: result.status,
    open: result.open,
    active: result.open && active,
    updatedAt: scope.now.toISOString(),
  };
  await scope.tx.updateConversation(saved, row.revision, row, result.changes);
  return { ...saved, revision: row.revision + 1 };
}

/** Turns effects into rows, in order, so an opt-out earlier in the list suppresses texts after it. */
export async function applyEffects(scope: StepScope, row: ConversationRow, effects: readonly Effect[]): Promise<void> {
  for (const effect of effects) await applyEffect(scope, row, effect);
}

async function applyEffect(scope: StepScope, row: ConversationRow, effect: Effect): Promise<void> {
  const store = scope.tx;
  const at = scope.now.toISOString();
  switch (effect.type) {
    case 'send':
      return enqueueText(scope, row, effect);
    case 'write':
      await store.enqueue({
        conversationId: row.id, project: row.project, channel: 'redcap', kind: 'write', phone: null,
        payload: { record: row.recordId, instrument: row.instrument, values: effect.values },
        status: 'pending', nextAttemptAt: at, createdAt: at,
      });
      return record(scope, row, 'event', 'write', Object.keys(effect.values).join(','));
    case 'setTimer':
      return store.setTimer(row.id, effect.kind, effect.at, effect.revision);
    case 'cancelTimers':
      return store.cancelTimers(row.id);
    case 'optOut':
      await store.optOut(row.project, row.phone, at, 'keyword');
      await store.suppressPendingTexts(row.project, row.phone);
      return record(scope, row, 'event', 'opt-out', '');
    case 'optIn':
      await store.optIn(row.project, row.phone);
      return record(scope, row, 'event', 'opt-in', '');
    case 'flag':
      return record(scope, row, 'event', 'flag', effect.reason);
  }
}

type Send = Extract<Effect, { type: 'send' }>;

/** One outbox row per SMS part; a text to an opted-out phone is stored as suppressed, never sent. */
export async function enqueueText(scope: StepScope, row: Pick<ConversationRow, 'id' | 'project' | 'phone'> | null, send: Send, project = row?.project ?? ''): Promise<void> {
  const store = scope.tx;
  const at = scope.now.toISOString();
  const blocked = send.kind !== 'opted-out' && await store.isOptedOut(project, send.to);
  const answered = send.kind === scope.providerAnswered;
  for (const body of send.parts) {
    await store.enqueue({
      conversationId: row?.id ?? null, project, channel: 'sms', kind: send.kind, phone: send.to,
      payload: { body }, status: blocked || answered ? 'suppressed' : 'pending', nextAttemptAt: send.notBefore ?? at, createdAt: at,
      lastError: answered && !blocked ? 'provider replied' : null,
    });
    await store.appendTranscript({ conversationId: row?.id ?? null, project, direction: 'out', kind: send.kind, body, at });
  }
}

export function record(scope: StepScope, row: { id: string | null; project: string }, direction: 'in' | 'out' | 'event', kind: string, body: string): Promise<void> {
  return scope.tx.appendTranscript({ conversationId: row.id, project: row.project, direction, kind, body, at: scope.now.toISOString() });
}
