import type { ConversationDeps } from './conversation-deps.js';
import { stepStored } from './step-conversation.js';

/** Staff lift a loop-guard pause: the participant gets the current question again. False if not paused. */
export function resumeConversation(deps: ConversationDeps, conversationId: string): Promise<boolean> {
  return deps.store.transaction(async (tx) => {
    const row = await tx.conversation(conversationId);
    if (row === undefined || row.status !== 'paused') return false;
    return (await stepStored({ deps, tx, now: deps.clock.now() }, row, { type: 'resume' }))?.status !== 'paused';
  });
}
