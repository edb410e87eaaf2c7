import type { Command } from 'commander';
import type { CliIo } from '../io.js';
import type { SetExit } from '../set-exit.js';
import { registerBackup } from './backup.js';
import { registerChat } from './chat.js';
import { registerDictionaryCheck } from './dictionary-check.js';
import { registerDictionaryLoad } from './dictionary-load.js';
import { registerDictionaryPull } from './dictionary-pull.js';
import { registerLogicEval } from './logic-eval.js';
import { registerMigrateStorage } from './migrate-storage.js';
import { registerRedcapEmulator } from './redcap-emulator.js';
import { registerReplay } from './replay.js';
import { registerRestore } from './restore.js';
import { registerServe } from './serve.js';

/** Each command lives in its own file and adds itself to the program here. */
export function registerCommands(program: Command, io: CliIo, setExit: SetExit): void {
  registerBackup(program, io, setExit);
  registerChat(program, io, setExit);
  registerDictionaryCheck(program, io, setExit);
  registerDictionaryPull(program, io, setExit);
  registerDictionaryLoad(program, io, setExit);
  registerLogicEval(program, io, setExit);
  registerMigrateStorage(program, io, setExit);
  registerRedcapEmulator(program, io, setExit);
  registerReplay(program, io, setExit);
  registerRestore(program, io, setExit);
  registerServe(program, io, setExit);
}
