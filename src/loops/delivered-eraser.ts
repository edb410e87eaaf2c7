import type { Clock } from '../ports/clock.js';
import type { EraseStore } from '../ports/storage/erase-store.js';
import type { Logger } from '../ports/logger.js';
import type { MessageEraser } from '../ports/sms-provider.js';
import { createPollingLoop, type PollingLoop } from './polling-loop.js';

/**
 * REDCap's privacy behaviour: texts do not stay in Twilio's logs. Once a text is delivered and its
 * conversation has ended, its Message resource is deleted. Twilio refuses to delete very fresh messages
 * (error 20009), so a text waits a few minutes after delivery; refusals are retried on later rounds.
 */

/** Twilio asks for at least a minute between delivery and deletion; a little more avoids most 20009s. */
export const ERASE_AFTER_MS = 2 * 60_000;

export interface EraserDeps {
  readonly store: EraseStore;
  readonly eraser: MessageEraser;
  /** The projects that delete delivered texts. */
  readonly projects: readonly string[];
  readonly clock: Clock;
  readonly logger: Logger;
  readonly idleMs?: number;
}

export interface DeliveredEraser extends PollingLoop {
  /** One round: deletes what may be deleted now; returns how many Twilio no longer holds. */
  runOnce(): Promise<number>;
}

export function createDeliveredEraser(deps: EraserDeps): DeliveredEraser {
  async function runOnce(): Promise<number> {
    const cutOff = new Date(deps.clock.now().getTime() - ERASE_AFTER_MS).toISOString();
    let erased = 0;
    for (const text of await deps.store.erasableTexts(deps.projects, cutOff)) {
      const outcome = await deps.eraser.erase(text.sid);
      if (outcome === 'erased') {
        await deps.store.markErased(text.id, deps.clock.now().toISOString());
        erased += 1;
      } else {
        deps.logger.warn({ outboxId: text.id, messageSid: text.sid, outcome }, 'could not delete the text from Twilio; will retry');
      }
    }
    return erased;
  }
  const loop = createPollingLoop({
    name: 'twilio-eraser', clock: deps.clock, logger: deps.logger, idleMs: deps.idleMs ?? 60_000,
    tick: async () => void (await runOnce()),
  });
  return { ...loop, runOnce };
}
