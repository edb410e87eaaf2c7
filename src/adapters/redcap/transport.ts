/**
 * The only code that sends bytes to REDCap. Every reply comes back as status + raw text (REDCap mixes
 * JSON, plain text and XML), and every axios failure is replaced by a RedcapError built from the error
 * code alone: an AxiosError carries the request body — the API token — in `config.data`.
 */
import axios from 'axios';
import { RedcapError } from '../../ports/redcap/errors.js';

export interface RawReply {
  status: number;
  body: string;
}

export type Transport = (body: string, action: string) => Promise<RawReply>;

const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT']);

export function createAxiosTransport(url: string, timeoutMs: number): Transport {
  const http = axios.create({
    timeout: timeoutMs,
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    validateStatus: () => true,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
  });
  return async (body, action) => {
    try {
      const reply = await http.post<unknown>(url, body);
      return { status: reply.status, body: typeof reply.data === 'string' ? reply.data : '' };
    } catch (error) {
      throw transportFailure(error, action, timeoutMs);
    }
  };
}

function transportFailure(error: unknown, action: string, timeoutMs: number): RedcapError {
  const code = axios.isAxiosError(error) ? error.code : undefined;
  if (code !== undefined && TIMEOUT_CODES.has(code)) {
    return new RedcapError({ kind: 'timeout', message: `REDCap ${action} timed out after ${timeoutMs} ms` });
  }
  return new RedcapError({ kind: 'network', message: `REDCap ${action} failed: network error (${code ?? 'unknown'})` });
}
