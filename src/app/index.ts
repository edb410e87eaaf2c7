export { handleInbound, type InboundMessage, type InboundResult } from './handle-inbound.js';
export { invite, type InviteInput, type InviteResult } from './invite.js';
export { fireDueTimers } from './fire-due-timers.js';
export type { ConversationDeps, ProjectSetup } from './deps.js';
export { recordProviderOptOut, recordDeliveryFailure, type DeliveryFeedback } from './delivery-feedback.js';
export { resumeConversation } from './resume-conversation.js';
