import type { Command } from 'commander';
import type { CliIo } from '../io.js';
import { registerDictionaryCheck } from './dictionary-check.js';
import { registerLogicEval } from './logic-eval.js';
import { registerRedcapEmulator } from './redcap-emulator.js';
import { registerReplay } from './replay.js';

/** Sets the process exit code a command finished with. */
export type SetExit = (code: number) => void;

/** Each command lives in its own file and adds itself to the program here. */
export function registerCommands(program: Command, io: CliIo, setExit: SetExit): void {
  void program;
  void io;
  void setExit;
  registerDictionaryCheck(program, io, setExit);
  registerLogicEval(program, io, setExit);
  registerRedcapEmulator(program, io, setExit);
  registerReplay(program, io, setExit);
}
