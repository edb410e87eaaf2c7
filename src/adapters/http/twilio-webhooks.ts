import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { normaliseNumber } from '../../config/project-schema.js';
import type { InboundDeps } from '../provider/provider.js';
import { HttpError } from './http-error.js';
import { sendXml, type PlainRoute } from './plain-routes.js';
import { twilioSignedForm, type SignatureOptions } from './twilio-signature.js';

export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

/** The Twilio webhooks need exactly what every provider's inbound webhook needs. */
export type TwilioWebhookDeps = InboundDeps;

// Twilio may add parameters at any time, so unknown ones are ignored rather than rejected.
const InboundSms = z.object({
  MessageSid: z.string().min(1),
  From: z.string().min(1),
  To: z.string().min(1),
  Body: z.string().default(''),
  OptOutType: z.string().transform((v) => v.toUpperCase()).pipe(z.enum(['STOP', 'START', 'HELP'])).optional(),
});

const StatusCallback = z.object({
  MessageSid: z.string().min(1),
  MessageStatus: z.string().min(1),
  ErrorCode: z.coerce.number().int().optional(),
  From: z.string().optional(),
  To: z.string().optional(),
});

/**
 * The two Twilio webhooks, each behind form parsing and the signature check, answered ahead of express
 * (decision 0022): these routes take every text of a study and every delivery report.
 */
export function twilioWebhooks(deps: TwilioWebhookDeps, signature: SignatureOptions): readonly PlainRoute[] {
  const signedForm = (req: IncomingMessage) => twilioSignedForm(req, signature);
  return [
    { method: 'POST', path: '/webhooks/twilio/sms', handle: async (req, res) => {
      await receiveInboundSms(deps, await signedForm(req));
      // Replies go through the outbox, so the webhook always answers an empty TwiML response.
      sendXml(res, EMPTY_TWIML);
    } },
    { method: 'POST', path: '/webhooks/twilio/status', handle: async (req, res) => {
      await recordStatusCallback(deps, await signedForm(req));
      sendXml(res, EMPTY_TWIML);
    } },
  ];
}

async function receiveInboundSms(deps: TwilioWebhookDeps, posted: unknown): Promise<void> {
  const form = InboundSms.safeParse(posted);
  if (!form.success) throw new HttpError(400, `not a Twilio SMS webhook: ${fieldsIn(form.error)}`);
  const project = deps.projects.forInboundNumber(form.data.To);
  const from = normaliseNumber(form.data.From);
  const log = { messageSid: form.data.MessageSid, participantKey: deps.participantKey(from) };
  if (project === undefined) return void deps.logger.warn(log, 'inbound text to a number no project owns; ignored');
  const result = await deps.receiveText({
    provider: 'twilio', providerMessageId: form.data.MessageSid, project: project.id,
    from, body: form.data.Body, optOutType: form.data.OptOutType,
  });
  deps.logger.info({ ...log, project: project.id, duplicate: result.duplicate, optOutType: form.data.OptOutType }, 'inbound text');
  if (!result.duplicate) deps.afterCommit();
}

async function recordStatusCallback(deps: TwilioWebhookDeps, posted: unknown): Promise<void> {
  const form = StatusCallback.safeParse(posted);
  if (!form.success) throw new HttpError(400, `not a Twilio status callback: ${fieldsIn(form.error)}`);
  const { MessageSid, MessageStatus, ErrorCode, From, To } = form.data;
  await deps.recordStatus({
    providerMessageId: MessageSid, status: MessageStatus, errorCode: ErrorCode ?? null,
    project: From === undefined ? undefined : deps.projects.forInboundNumber(From)?.id,
    to: To === undefined ? undefined : normaliseNumber(To), at: deps.now().toISOString(),
  });
  deps.logger.info({ messageSid: MessageSid, status: MessageStatus, errorCode: ErrorCode }, 'delivery status');
  deps.afterCommit();
}

/** Names the fields at fault, never their values (which may be a phone number or a text). */
function fieldsIn(error: z.ZodError): string {
  return [...new Set(error.issues.map((issue) => String(issue.path[0] ?? 'body')))].join(', ');
}
