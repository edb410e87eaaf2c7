/** The demo's SMS provider: a simulated handset per participant, in place of Twilio. */
export { OffsetClock } from './offset-clock.js';
export type { PhoneMessage, SimulatorPhones } from '../../ports/storage/simulator-phones.js';
export { createSimulatorSender, type SimulatorSenderOptions } from './simulator-sender.js';
export { createSimulatorChannel, type SimulatorChannel, type SimulatorChannelDeps } from './simulator-channel.js';
