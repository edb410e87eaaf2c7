import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';

/**
 * `Authorization: Bearer <ADMIN_TOKEN>` on /api. Both sides are hashed first so the constant-time
 * comparison always sees equal lengths and the token's length does not leak either.
 */
export function requireAdminToken(adminToken: string, options: { allowQueryToken?: boolean } = {}): RequestHandler {
  return requireBearerToken([adminToken], { ...options, refusal: 'a valid admin token is required (Authorization: Bearer …)' });
}

/** Any one of `tokens` as a bearer token (or `?token=` when allowed); every one is compared, so timing tells none apart. */
export function requireBearerToken(tokens: readonly string[], options: { allowQueryToken?: boolean; refusal: string }): RequestHandler {
  const expected = tokens.map(digest);
  return (req, res, next) => {
    const header = req.header('authorization') ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    // Pages opened from a link (the dashboard) may carry the token as ?token= instead.
    const given = match?.[1] ?? (options.allowQueryToken === true && typeof req.query.token === 'string' ? req.query.token : undefined);
    const givenDigest = given === undefined ? undefined : digest(given);
    const matches = givenDigest === undefined ? [] : expected.filter((token) => timingSafeEqual(givenDigest, token));
    if (matches.length === 0) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      return void res.status(401).json({ error: options.refusal });
    }
    next();
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
