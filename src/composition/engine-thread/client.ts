import { Worker } from 'node:worker_threads';
import type { Readiness } from '../../adapters/http/app.js';
import type { MetricsSnapshot } from '../../adapters/metrics/engine-metrics.js';
import type { Config } from '../../config/env.js';
import type { ProjectRegistry } from '../../config/projects.js';
import type { EngineCalls } from '../engine.js';
import { keepStepObjectsYoung } from './gc-tuning.js';
import type { CrossedError, EngineCallName, EngineReply, EngineThreadData } from './protocol.js';

/** The HTTP thread's handle on the engine thread. */
export interface EngineThread {
  readonly calls: EngineCalls;
  readiness(): Promise<Readiness>;
  /** The engine thread's counters and histograms, for GET /metrics. */
  metrics(): Promise<MetricsSnapshot>;
  /** The engine thread's heap after a full collection (gc-tuning.ts): undefined without `--expose-gc`. */
  heapAfterCollection(): Promise<number | undefined>;
  /** Stops the loops after their current round, closes the database and ends the thread. */
  stop(): Promise<void>;
}

/** An error the engine thread raised, with its original class name. */
export class EngineError extends Error {
  constructor(crossedError: CrossedError) {
    super(crossedError.message);
    this.name = crossedError.name;
  }
}

/**
 * Starts the engine thread and resolves once it has opened (and migrated) the database and started its
 * loops. `onExit` hears of a thread that ends without being stopped: the service cannot work without it.
 */
export async function startEngineThread(config: Config, projects: ProjectRegistry, onExit: (error: Error) => void): Promise<EngineThread> {
  const data: EngineThreadData = { config, projects: projects.projects };
  keepStepObjectsYoung();
  const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: data });
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let ended: Error | undefined;
  let stopping = false;

  await started(worker);
  worker.on('message', (reply: EngineReply) => {
    if (reply.type !== 'result') return;
    const call = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (reply.ok) call?.resolve(reply.value);
    else call?.reject(new EngineError(reply.error));
  });
  worker.on('error', (error) => (ended ??= error));
  worker.on('exit', (code) => {
    ended ??= new Error(`the engine thread exited (code ${code})`);
    for (const call of waiting.values()) call.reject(ended);
    waiting.clear();
    if (!stopping) onExit(ended);
  });

  function call<T>(name: EngineCallName, argument?: unknown): Promise<T> {
    if (ended !== undefined) return Promise.reject(ended);
    return new Promise<T>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ id, name, argument });
    });
  }

  return {
    calls: {
      receiveText: (text) => call('receiveText', text),
      recordStatus: (status) => call('recordStatus', status),
      invitations: { create: (request) => call('createInvitation', request) },
      redcap: {
        handleDet: (det) => call('handleDet', det),
        describeProject: (project) => call('describeProject', project),
        refreshDictionary: (project) => call('refreshDictionary', project),
      },
    },
    // A busy or stuck engine thread must not hang /readyz: past the limit it counts as not ready.
    readiness: () => withTimeout(call('readiness'), READINESS_TIMEOUT_MS, 'the engine thread did not answer the readiness check in time'),
    // Likewise a scrape: past the limit it carries the database's figures alone.
    metrics: () => withTimeout(call('metrics'), READINESS_TIMEOUT_MS, 'the engine thread did not answer the metrics call in time'),
    heapAfterCollection: () => call('heapAfterCollection'),
    async stop() {
      if (ended !== undefined) return;
      stopping = true;
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      await call('close');
      await exited;
    },
  };
}

/** How long /readyz and /metrics wait for the engine thread's answer. */
const READINESS_TIMEOUT_MS = 2_000;

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

/** Resolves when the thread reports ready; rejects with its start-up error (a migration, a locked file). */
function started(worker: Worker): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const settle = (error?: Error) => {
      worker.off('message', onMessage).off('error', settle).off('exit', onExit);
      if (error === undefined) resolve();
      else reject(error);
    };
    const onMessage = (reply: EngineReply) => {
      if (reply.type === 'ready') settle();
      else if (reply.type === 'failed') settle(new EngineError(reply.error));
    };
    const onExit = (code: number) => settle(new Error(`the engine thread exited while starting (code ${code})`));
    worker.on('message', onMessage).on('error', settle).on('exit', onExit);
  });
}
