import axios from 'axios';

/**
 * The only code that talks to Mosio's REDCap integration API (reference §4): JSON POSTs to
 * `<base>/<endpoint>` with HTTP Basic auth, the API key as user name and an empty password.
 * Axios errors are reduced to their code here: they carry the request, whose headers hold the key.
 */

export type MosioEndpoint = 'redcap_send_sms' | 'redcap_verification';

/** Mosio's answer, reduced to what decides success; `ErrorMessage` is Mosio's text and may echo input. */
export type MosioReply =
  | { readonly kind: 'answered'; readonly httpStatus: number; readonly success: boolean; readonly errorMessage: string; readonly accountStatus: string | undefined }
  | { readonly kind: 'unreachable'; readonly code: string };

export interface MosioApi {
  post(endpoint: MosioEndpoint, apiKey: string, body: Readonly<Record<string, unknown>>): Promise<MosioReply>;
}

export function createMosioApi(options: { readonly baseUrl: string; readonly timeoutMs?: number }): MosioApi {
  const http = axios.create({
    baseURL: `${options.baseUrl.replace(/\/+$/, '')}/`,
    timeout: options.timeoutMs ?? 15_000,
    validateStatus: () => true,
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
  });
  return {
    async post(endpoint, apiKey, body) {
      try {
        const reply = await http.post<unknown>(endpoint, body, { auth: { username: apiKey, password: '' } });
        return readReply(reply.status, reply.data);
      } catch (error) {
        return { kind: 'unreachable', code: (axios.isAxiosError(error) ? error.code : undefined) ?? 'network error' };
      }
    },
  };
}

/** Success only when `Success` is 1 and `ErrorMessage` is empty, as REDCap itself decides. */
export function readReply(httpStatus: number, data: unknown): MosioReply {
  const json = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  const errorMessage = typeof json.ErrorMessage === 'string' ? json.ErrorMessage.trim() : '';
  const flag = json.Success;
  const success = httpStatus >= 200 && httpStatus < 300 && (flag === 1 || flag === '1' || flag === true) && errorMessage === '';
  const accountStatus = typeof json.AccountStatus === 'string' ? json.AccountStatus : undefined;
  return { kind: 'answered', httpStatus, success, errorMessage, accountStatus };
}

/** Mosio's message without anything that looks like a phone number, short enough for a log line. */
export function safeErrorText(message: string): string {
  return message.replace(/\+?\d[\d\s().-]{5,}\d/g, '[number]').slice(0, 200);
}
