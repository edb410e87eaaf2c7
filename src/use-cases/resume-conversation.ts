import type { ConversationDeps } from './conversation-deps.js';
import { stepStored } from './step-conversation.js';

/** Staff lift a loop-guard pause: the participant gets the current question again. False if not paused. */
export function resumeConversation(deps: ConversationDeps, conversationId: string): boolean {
  return deps.store.transaction(() => {
    const row = deps.store.conversation(conversationId);
    if (row === undefined || row.status !== 'paused') return false;
    return stepStored({ deps, now: deps.clock.now() }, row, { type: 'resume' })?.status !== 'paused';
  });
}
