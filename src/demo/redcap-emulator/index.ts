/** The REDCap API emulator: stands in for REDCap in the demo, `redcap-sms redcap-emulator`, tests and the bench. */
export {
  createRedcapEmulator,
  type RedcapEmulator, type EmulatorOptions, type EmulatorState, type RunningEmulator, type RequestLogEntry,
} from './emulator.js';
export type { EmulatorProjectConfig, EmulatorEventConfig, EmulatorRepeatingConfig } from './project.js';
export type { FaultMode } from './faults.js';
