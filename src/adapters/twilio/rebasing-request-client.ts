import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';

const TWILIO_API = /^https:\/\/[a-z0-9.-]*twilio\.com/;

/**
 * The twilio library has no base-URL option; it always builds `https://<host>.twilio.com/...`.
 * This request client keeps the library's own request code and only swaps that origin for another
 * base (an emulator on 127.0.0.1), so tests and the demo exercise the real client end to end.
 */
export class RebasingRequestClient extends twilio.RequestClient {
  private readonly base: string;

  constructor(base: string, options: RequestClient.RequestClientOptions = {}) {
    super(options);
    this.base = base.replace(/\/+$/, '');
  }

  override request<TData>(options: RequestClient.RequestOptions<TData>) {
    return super.request<TData>({ ...options, uri: options.uri.replace(TWILIO_API, this.base) });
  }
}
