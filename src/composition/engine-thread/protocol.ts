import type { ProjectConfig } from '../../config/projects.js';
import type { Config } from '../../config/env.js';

/**
 * The messages between the HTTP thread and the engine thread. Every call the HTTP side makes of the
 * engine is one of these, answered once by its id; arguments and results are plain data.
 */

export interface EngineThreadData {
  readonly config: Config;
  readonly projects: readonly ProjectConfig[];
}

export type EngineCallName =
  | 'receiveText' | 'recordStatus' | 'createInvitation' | 'handleDet' | 'describeProject' | 'refreshDictionary' | 'readiness' | 'metrics' | 'heapAfterCollection' | 'close';

export interface EngineCall {
  readonly id: number;
  readonly name: EngineCallName;
  readonly argument: unknown;
}

/** An error as it crosses the thread boundary: its class name and message, never a stack. */
export interface CrossedError {
  readonly name: string;
  readonly message: string;
}

export type EngineReply =
  | { readonly type: 'ready' }
  | { readonly type: 'failed'; readonly error: CrossedError }
  | { readonly type: 'result'; readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly type: 'result'; readonly id: number; readonly ok: false; readonly error: CrossedError };

export function crossed(error: unknown): CrossedError {
  return error instanceof Error ? { name: error.name, message: error.message } : { name: 'Error', message: String(error) };
}
