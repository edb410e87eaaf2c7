/**
 * One typed error for everything that can go wrong talking to REDCap. Its message is built here from
 * known parts only (the method, the status, REDCap's own error text without submitted values), so an
 * API token, a phone number or an answer never leaves through an error or a log line.
 */

export const REDCAP_ERROR_KINDS = [
  'auth', 'validation', 'not_found', 'server', 'network', 'timeout', 'rate_limited',
] as const;
export type RedcapErrorKind = (typeof REDCAP_ERROR_KINDS)[number];

/** One rejected value of an import, without the value itself (it may be an answer or a phone number). */
export interface ImportProblem {
  record: string;
  field: string;
  message: string;
}

export interface RedcapErrorInit {
  kind: RedcapErrorKind;
  message: string;
  status?: number;
  problems?: readonly ImportProblem[];
}

export class RedcapError extends Error {
  override readonly name = 'RedcapError';
  readonly kind: RedcapErrorKind;
  readonly status?: number;
  readonly problems: readonly ImportProblem[];

  constructor(init: RedcapErrorInit) {
    super(init.message);
    this.kind = init.kind;
    if (init.status !== undefined) this.status = init.status;
    this.problems = init.problems ?? [];
  }

  /** Worth trying again later: REDCap or the network failed, not the request itself. */
  get retryable(): boolean {
    return this.kind === 'server' || this.kind === 'network' || this.kind === 'timeout';
  }
}

export const isRedcapError = (error: unknown): error is RedcapError => error instanceof RedcapError;

/** The HTTP status and REDCap's error text → the kind of failure callers act on. */
export function classifyFailure(status: number, text: string): RedcapErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server';
  if (/permission|privilege/i.test(text)) return 'auth';
  if (/does not exist/i.test(text)) return 'not_found';
  return 'validation';
}

/** Removes the token wherever a server or a library might have echoed it. */
export function scrubSecret(text: string, secret: string): string {
  return secret === '' ? text : text.split(secret).join('[redacted]');
}
