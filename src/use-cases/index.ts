export { handleInbound, type InboundMessage } from './handle-inbound.js';
export type { InboundResult } from '../ports/sms-provider.js';
export { invite, type InviteInput, type InviteResult } from './start-conversation.js';
export { fireDueTimers } from './fire-due-timers.js';
export type { ConversationDeps, ProjectSetup } from './conversation-deps.js';
export { resumeConversation } from './resume-conversation.js';
