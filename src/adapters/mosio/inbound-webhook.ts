import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { z } from 'zod';
import { FORM_LIMIT_BYTES, readForm } from '../http/form-body.js';
import { HttpError } from '../http/http-error.js';
import { sendJson, type PlainRoute } from '../http/plain-routes.js';
import type { InboundDeps } from '../provider/provider.js';
import { projectForApiKey } from './api-key-match.js';
import type { InboundRepeats } from './inbound-repeats.js';

// Mosio may add fields; unknown ones are ignored. `ApiKey` is checked before anything else is read.
const InboundForm = z.object({
  MosioAccountId: z.string().optional(),
  From: z.string().trim().min(1),
  Body: z.string().default(''),
});

/**
 * `POST /webhooks/mosio/sms`: Mosio's only proof is the project's API key in the form, so a wrong or
 * missing key is 403 and a form without a usable `From` is 400, both before anything is stored.
 */
export function mosioWebhooks(deps: InboundDeps, repeats: InboundRepeats): readonly PlainRoute[] {
  return [{ method: 'POST', path: '/webhooks/mosio/sms', handle: async (req, res) => {
    const posted: Record<string, unknown> = (await readForm(req, FORM_LIMIT_BYTES)) ?? {};
    const project = typeof posted.ApiKey === 'string' ? projectForApiKey(deps.projects.projects, posted.ApiKey) : undefined;
    if (project === undefined) {
      deps.logger.warn('Mosio webhook with a wrong or missing API key; refused');
      throw new HttpError(403, 'invalid ApiKey');
    }
    const form = InboundForm.safeParse(posted);
    const from = form.success ? e164(form.data.From) : undefined;
    if (!form.success || from === undefined) {
      const fields = form.success ? 'From' : [...new Set(form.error.issues.map((issue) => String(issue.path[0])))].join(', ');
      throw new HttpError(400, `not a Mosio SMS webhook: ${fields} missing or invalid`);
    }
    const text = { project: project.id, phone: from, body: form.data.Body };
    const now = deps.now();
    const log = { project: project.id, participantKey: deps.participantKey(from) };
    if (await repeats.isRepeat(text, now)) {
      deps.logger.info({ ...log, duplicate: true }, 'inbound Mosio text repeated within the window; ignored');
      return sendJson(res, 200, { received: true, duplicate: true });
    }
    const result = await deps.receiveText({
      provider: 'mosio', providerMessageId: repeats.syntheticId(text, now), project: project.id,
      from, body: text.body, optOutType: undefined,
    });
    deps.logger.info({ ...log, duplicate: result.duplicate }, 'inbound text');
    if (!result.duplicate) deps.afterCommit();
    sendJson(res, 200, { received: true, duplicate: result.duplicate });
  } }];
}

/** Mosio's `From` may be national (`6155551234`) or formatted; North America is assumed without a `+`. */
function e164(from: string): string | undefined {
  const parsed = parsePhoneNumberFromString(from, 'US');
  return parsed?.isPossible() === true ? parsed.number : undefined;
}
