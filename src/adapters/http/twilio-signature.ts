import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import twilio from 'twilio';
import { FORM_LIMIT_BYTES, readForm } from './form-body.js';
import { HttpError } from './http-error.js';
import { requestUrl } from './plain-routes.js';

/**
 * Checks X-Twilio-Signature against the configured public URL + the path and query Twilio called,
 * never the Host header (proxies and TLS terminators change it). twilio.validateRequest also tries
 * the URL with and without the default port. Missing → 400, wrong → 403, and nothing is handled.
 */
export interface SignatureOptions {
  readonly authToken: string;
  readonly publicUrl: string;
  /** Off only when TWILIO_VALIDATE_SIGNATURE=false, and the service logs a warning at start. */
  readonly enabled: boolean;
}

/** The posted form, once its signature is checked; a body that is not a form has no fields to sign. */
export async function twilioSignedForm(req: IncomingMessage, options: SignatureOptions): Promise<Record<string, string | string[]>> {
  const fields = (await readForm(req, FORM_LIMIT_BYTES)) ?? {};
  const header = req.headers['x-twilio-signature'];
  const refusal = signatureRefusal(options, typeof header === 'string' ? header : undefined, requestUrl(req), fields as Record<string, string>);
  if (refusal !== undefined) throw refusal;
  return fields;
}

/** Why the request must be refused, or `undefined` when Twilio signed it (or checking is off). */
export function signatureRefusal(options: SignatureOptions, signature: string | undefined, path: string, params: Record<string, string>): HttpError | undefined {
  if (!options.enabled) return undefined;
  if (signature === undefined || signature === '') return new HttpError(400, 'missing X-Twilio-Signature');
  const url = options.publicUrl + path;
  if (signedForUrl(options.authToken, signature, url, params) || twilio.validateRequest(options.authToken, signature, url, params)) return undefined;
  return new HttpError(403, 'invalid X-Twilio-Signature');
}

/**
 * The common case first: Twilio signed exactly the configured URL. One HMAC, without the URL parsing
 * and rebuilding `validateRequest` does to try the port and query-string variants, which it still
 * does when this check fails.
 */
function signedForUrl(authToken: string, signature: string, url: string, params: Record<string, string>): boolean {
  const expected = Buffer.from(twilio.getExpectedTwilioSignature(authToken, url, params));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
