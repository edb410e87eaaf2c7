/**
 * The engine thread's entry: it owns the database (the only writer), runs every unit of work with
 * group commit, and runs the background loops (dispatcher, timers, REDCap write-back, eraser). The
 * HTTP thread sends it calls (protocol.ts) and answers webhooks only once a call has returned, which
 * happens after the commit: acknowledged still means durable.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createLogger } from '../../adapters/logging/logger.js';
import { projectRegistry } from '../../config/projects.js';
import type { InvitationRequest } from '../../ports/engine.js';
import type { DeliveryStatus } from '../../ports/sms-provider.js';
import type { DataEntryTrigger } from '../../ports/engine.js';
import type { ProviderText } from '../../ports/sms-provider.js';
import { composeEngine, startBackground, type Engine } from '../engine.js';
import { heapAfterCollection } from './gc-tuning.js';
import { crossed, type EngineCall, type EngineCallName, type EngineReply, type EngineThreadData } from './protocol.js';

const port = parentPort;
if (port === null) throw new Error('the engine thread must be started as a worker thread');
const post = (reply: EngineReply) => port.postMessage(reply);

const { config, projects } = workerData as EngineThreadData;
let engine: Engine;
try {
  engine = composeEngine(config, projectRegistry(projects), { logger: createLogger({ level: config.logLevel, synchronous: true }) });
  await startBackground(engine);
  port.on('message', (call: EngineCall) => void answer(call));
  post({ type: 'ready' });
} catch (error) {
  post({ type: 'failed', error: crossed(error) });
  port.close();
}

async function answer(call: EngineCall): Promise<void> {
  try {
    post({ type: 'result', id: call.id, ok: true, value: await perform(call.name, call.argument) });
  } catch (error) {
    post({ type: 'result', id: call.id, ok: false, error: crossed(error) });
  }
  if (call.name === 'close') port!.close();
}

async function perform(name: EngineCallName, argument: unknown): Promise<unknown> {
  const { http } = engine;
  switch (name) {
    case 'receiveText': {
      const result = await http.receiveText(argument as ProviderText);
      if (!result.duplicate) http.afterCommit();
      return result;
    }
    case 'recordStatus':
      await http.recordStatus(argument as DeliveryStatus);
      return http.afterCommit();
    case 'createInvitation':
      return http.invitations?.create(argument as InvitationRequest);
    case 'handleDet':
      return http.redcap?.handleDet(argument as DataEntryTrigger);
    case 'describeProject':
      return http.redcap?.describeProject(argument as string);
    case 'refreshDictionary':
      return http.redcap?.refreshDictionary(argument as string);
    case 'readiness':
      return engine.readiness(false);
    case 'metrics':
      return engine.metrics.snapshot();
    case 'heapAfterCollection':
      return heapAfterCollection();
    case 'close':
      return engine.close();
  }
}
