/** The demo's SMS provider: a simulated handset per participant, in place of Twilio. */
export { OffsetClock } from './offset-clock.js';
export { PhoneLog, type PhoneMessage } from './phone-log.js';
export { createSimulatorSender, type SimulatorSenderOptions } from './simulator-sender.js';
export { createSimulatorChannel, type SimulatorChannel, type SimulatorChannelDeps } from './simulator-channel.js';
