import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { MosioAccount } from '../../config/projects.js';
import type { SendOutcome, SmsSender } from '../../ports/sms-provider.js';
import { safeErrorText, type MosioApi, type MosioReply } from './mosio-api.js';

export interface MosioSenderOptions {
  readonly api: MosioApi;
  /** The Mosio account of one of our projects; undefined when the project has none. */
  readonly account: (project: string) => MosioAccount | undefined;
  /** The URL Mosio posts replies to (our /webhooks/mosio/sms), sent as `RedcapUrl` as REDCap does. */
  readonly inboundUrl: string;
  /** Mosio returns no message id: each accepted send gets a local one (the outbox needs a unique id). */
  readonly newId: () => string;
}

/** Sends through `redcap_send_sms`. Retries are the dispatcher's job; this only classifies. */
export function createMosioSender(options: MosioSenderOptions): SmsSender {
  return {
    async send(request) {
      const account = request.project === undefined ? undefined : options.account(request.project);
      if (account === undefined) {
        return { kind: 'rejected', reason: `no Mosio API key configured for project ${request.project ?? '(none)'}`, code: undefined };
      }
      const reply = await options.api.post('redcap_send_sms', account.apiKey, {
        RedcapUrl: options.inboundUrl,
        ProjectId: mosioProjectId(account.projectId),
        Phone: mosioPhone(request.to),
        Body: request.body,
        ...(request.recordId === undefined ? {} : { RecordId: request.recordId }),
      });
      return classifySend(reply, options.newId);
    },
  };
}

/** Maps Mosio's answer to the dispatcher's terms; reasons never carry the number or the body. */
export function classifySend(reply: MosioReply, newId: () => string): SendOutcome {
  if (reply.kind === 'unreachable') return { kind: 'retry', reason: `Mosio unreachable (${reply.code})` };
  const { httpStatus } = reply;
  if (reply.success) return { kind: 'sent', sid: `mosio-${newId()}`, status: 'sent' };
  if (httpStatus === 429 || httpStatus >= 500) return { kind: 'retry', reason: `Mosio HTTP ${httpStatus}` };
  if (httpStatus === 401 || httpStatus === 403) {
    return { kind: 'rejected', reason: `Mosio refused the API key (HTTP ${httpStatus})`, code: httpStatus };
  }
  if (httpStatus >= 300) return { kind: 'rejected', reason: `Mosio HTTP ${httpStatus}`, code: httpStatus };
  const said = reply.errorMessage === '' ? 'Success was not 1' : safeErrorText(reply.errorMessage);
  return { kind: 'rejected', reason: `Mosio refused the text: ${said}`, code: undefined };
}

/** REDCap's project ids are numbers; Mosio is sent a number when ours looks like one. */
export function mosioProjectId(id: string): string | number {
  return /^\d+$/.test(id) ? Number(id) : id;
}

/** The phone as REDCap formats it for Mosio: `+1 615-555-1234` for North America, else international. */
export function mosioPhone(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  if (parsed === undefined) return e164;
  const national = parsed.nationalNumber;
  if (parsed.countryCallingCode === '1' && national.length === 10) {
    return `+1 ${national.slice(0, 3)}-${national.slice(3, 6)}-${national.slice(6)}`;
  }
  return parsed.formatInternational();
}
