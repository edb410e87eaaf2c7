/** Mosio as an SMS provider, used the way REDCap's own Mosio integration uses it (reference §1.16, §4). */
export { createMosioProvider, type MosioProviderOptions } from './mosio-provider.js';
export { createMosioSender, mosioPhone, type MosioSenderOptions } from './mosio-sender.js';
export { createMosioApi, type MosioApi, type MosioReply } from './mosio-api.js';
export { InboundRepeats, MOSIO_REPEAT_WINDOW_MS } from './inbound-repeats.js';
