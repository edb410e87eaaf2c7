import type { RequestHandler } from 'express';
import { timingSafeEqual } from 'node:crypto';
import twilio from 'twilio';

/**
 * Checks X-Twilio-Signature against the configured public URL + the path and query Twilio called,
 * never the Host header (proxies and TLS terminators change it). twilio.validateRequest also tries
 * the URL with and without the default port. Missing → 400, wrong → 403, and the handler never runs.
 */
export interface SignatureOptions {
  readonly authToken: string;
  readonly publicUrl: string;
  /** Off only when TWILIO_VALIDATE_SIGNATURE=false, and the service logs a warning at start. */
  readonly enabled: boolean;
}

export function verifyTwilioSignature(options: SignatureOptions): RequestHandler {
  return (req, res, next) => {
    if (!options.enabled) return next();
    const signature = req.header('x-twilio-signature');
    if (signature === undefined || signature === '') return void res.status(400).json({ error: 'missing X-Twilio-Signature' });
    const url = options.publicUrl + req.originalUrl;
    const params = (req.body ?? {}) as Record<string, string>;
    if (!signedForUrl(options.authToken, signature, url, params) && !twilio.validateRequest(options.authToken, signature, url, params)) {
      return void res.status(403).json({ error: 'invalid X-Twilio-Signature' });
    }
    next();
  };
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
