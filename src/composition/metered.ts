/**
 * The engine's calls and its SMS sender, counted and timed on the way through: the use cases and the
 * dispatcher stay as they are, and nothing that is counted can forget to be.
 */
import { performance } from 'node:perf_hooks';
import type { Metrics, UnitOfWork } from '../ports/metrics.js';
import type { SmsSender } from '../ports/sms-provider.js';
import type { HttpDeps } from '../adapters/http/app.js';

/** The engine's calls as the HTTP side makes them (engine.ts's EngineCalls, named here to keep the two files apart). */
type EngineCalls = Pick<HttpDeps, 'receiveText' | 'recordStatus' | 'invitations' | 'redcap'>;

export function meteredCalls<C extends EngineCalls>(calls: C, metrics: Metrics): C {
  const { invitations, redcap } = calls;
  return {
    ...calls,
    async receiveText(text) {
      try {
        const received = await timed(metrics, 'inbound-text', async () => calls.receiveText(text));
        metrics.inboundText(text.provider, received.duplicate ? 'duplicate' : 'new');
        return received;
      } catch (error) {
        metrics.inboundText(text.provider, 'failed');
        throw error;
      }
    },
    async recordStatus(status) {
      await timed(metrics, 'delivery-status', async () => calls.recordStatus(status));
      if (status.errorCode !== null) metrics.providerError('delivery', status.errorCode);
    },
    invitations: invitations && { create: (request) => timed(metrics, 'invitation', () => invitations.create(request)) },
    redcap: redcap && { ...redcap, handleDet: (det) => timed(metrics, 'data-entry-trigger', () => redcap.handleDet(det)) },
  };
}

/** Counts every send by outcome, and the provider's error codes among them. */
export function meteredSender(sender: SmsSender, metrics: Metrics): SmsSender {
  return {
    async send(request) {
      const outcome = await sender.send(request);
      metrics.textSent(request.project ?? 'none', outcome.kind);
      if (outcome.kind === 'opted-out') metrics.providerError('send', outcome.code);
      if (outcome.kind === 'rejected') metrics.providerError('send', outcome.code ?? 'none');
      if (outcome.kind === 'retry') metrics.providerError('send', 'transient');
      return outcome;
    },
  };
}

async function timed<T>(metrics: Metrics, kind: UnitOfWork, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    const result = await work();
    metrics.unitOfWork(kind, (performance.now() - started) / 1000, 'ok');
    return result;
  } catch (error) {
    metrics.unitOfWork(kind, (performance.now() - started) / 1000, 'failed');
    throw error;
  }
}
