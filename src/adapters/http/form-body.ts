import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import { HttpError } from './http-error.js';

/**
 * Reads an `application/x-www-form-urlencoded` body into `req.body`, as Twilio, Mosio and REDCap's Data
 * Entry Trigger post them. body-parser's urlencoded did the same through a dozen layers (type-is,
 * raw-body, iconv, qs) and cost a quarter of a bare express webhook's CPU; these forms are small, flat
 * and UTF-8, so the platform's URLSearchParams reads them (decision 0018). Another content type leaves
 * `req.body` unset, as body-parser does; the route then refuses the request for what it lacks.
 */
/** Webhook forms are a few hundred bytes; Twilio's largest SMS body is 1,600 characters. */
export const FORM_LIMIT_BYTES = 64 * 1024;

export function formBody(limitBytes: number): RequestHandler {
  return (req, _res, next) => {
    readForm(req, limitBytes).then((fields) => {
      if (fields !== undefined) req.body = fields;
      next();
    }, next);
  };
}

/**
 * The request's form fields; `undefined` when the body is not a form. A refused body (too large, not
 * UTF-8, compressed) rejects with its HttpError once the body has been read, so the answer reaches a
 * client that is still sending. A client that goes away mid-body never settles it: nothing is handled.
 */
export function readForm(req: IncomingMessage, limitBytes: number): Promise<Record<string, string | string[]> | undefined> {
  if (!isForm(req.headers['content-type'])) return Promise.resolve(undefined);
  const refusal = refusalOf(req, limitBytes);
  return new Promise((resolve, reject) => {
    readBody(req, limitBytes, (text) => {
      if (refusal !== undefined) return reject(refusal);
      if (text === undefined) return reject(new HttpError(413, `the request body is larger than ${limitBytes} bytes`));
      resolve(formFields(text));
    });
  });
}

/** The fields of a form; a name given twice keeps every value, in order (as body-parser did). */
export function formFields(text: string): Record<string, string | string[]> {
  // No prototype: a field named __proto__ or constructor is just a field.
  const fields: Record<string, string | string[]> = Object.create(null);
  for (const [name, value] of new URLSearchParams(text)) {
    const earlier = fields[name];
    if (earlier === undefined) fields[name] = value;
    else fields[name] = Array.isArray(earlier) ? [...earlier, value] : [earlier, value];
  }
  return fields;
}

function isForm(contentType: string | undefined): boolean {
  return contentType !== undefined && mediaType(contentType) === 'application/x-www-form-urlencoded';
}

function mediaType(contentType: string): string {
  const end = contentType.indexOf(';');
  return (end === -1 ? contentType : contentType.slice(0, end)).trim().toLowerCase();
}

/** Why the body must be refused before it is read, if it must. */
function refusalOf(req: IncomingMessage, limitBytes: number): HttpError | undefined {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(req.headers['content-type'] ?? '')?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    return new HttpError(415, `a form body must be UTF-8, not ${charset.slice(0, 40)}`);
  }
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding !== 'identity') return new HttpError(415, 'a compressed form body is not accepted');
  if (Number(req.headers['content-length'] ?? 0) > limitBytes) {
    return new HttpError(413, `the request body is larger than ${limitBytes} bytes`);
  }
  return undefined;
}

/**
 * Reads the whole body and hands it over as text, or `undefined` once it passed the limit. The rest of an
 * oversized body is read and dropped, so the answer reaches a client that is still sending.
 */
function readBody(req: IncomingMessage, limitBytes: number, done: (text: string | undefined) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= limitBytes) chunks.push(chunk);
  });
  req.on('end', () => done(size <= limitBytes ? Buffer.concat(chunks, size).toString('utf8') : undefined));
  // A client that goes away mid-body gets no answer, and nothing is handled.
}
