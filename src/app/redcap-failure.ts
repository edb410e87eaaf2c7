import { isRedcapError } from '../adapters/redcap/index.js';

/**
 * How the REDCap workers judge a failure. Retrying cannot fix a refused value or a missing record;
 * anything else (REDCap down, slow, rate-limiting, a revoked token being fixed) may pass later.
 */
export function isPermanentFailure(error: unknown): boolean {
  return isRedcapError(error) && (error.kind === 'validation' || error.kind === 'not_found');
}

/** Safe to store and log: RedcapError messages carry no token or value; anything else is named, not quoted. */
export function failureReason(error: unknown): string {
  if (isRedcapError(error)) return error.message;
  return `unexpected ${error instanceof Error ? error.name : 'failure'}`;
}
