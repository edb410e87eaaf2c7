import { isRedcapError } from '../ports/redcap/index.js';
import { ProjectNotConfigured } from './project-not-configured.js';

/**
 * How the REDCap workers judge a failure. Retrying cannot fix a refused value, a missing record or a
 * project that is not configured; anything else (REDCap down, slow, rate-limiting, a revoked token
 * being fixed) may pass later.
 */
export function isPermanentFailure(error: unknown): boolean {
  return (isRedcapError(error) && (error.kind === 'validation' || error.kind === 'not_found')) || error instanceof ProjectNotConfigured;
}

/**
 * Safe to store and log: RedcapError messages carry no token or value, and ProjectNotConfigured only the
 * project's id; anything else is named, not quoted.
 */
export function failureReason(error: unknown): string {
  if (isRedcapError(error) || error instanceof ProjectNotConfigured) return error.message;
  return `unexpected ${error instanceof Error ? error.name : 'failure'}`;
}
