/**
 * What an emulated API call answers, and how errors are written in the caller's `returnFormat`:
 * JSON `{"error": …}`, CSV/plain text `ERROR: …`, or XML `<hash><error>…</error></hash>` — REDCap's
 * three shapes.
 */
import { quotedCell } from './csv-format.js';
import type { ProblemLine } from './import-plan.js';

export type Reply =
  | { status: number; kind: 'json'; body: unknown }
  | { status: number; kind: 'text'; body: string }
  | { status: number; kind: 'csv'; body: string }
  | { status: number; kind: 'error'; message: string };

export type ErrorFormat = 'json' | 'csv' | 'xml';

export const json = (body: unknown): Reply => ({ status: 200, kind: 'json', body });
export const text = (body: string): Reply => ({ status: 200, kind: 'text', body });
export const csv = (body: string): Reply => ({ status: 200, kind: 'csv', body });
export const failure = (status: number, message: string): Reply => ({ status, kind: 'error', message });

export const NO_PERMISSION = 'You do not have permissions to use the API';

export function errorFormat(value: string | undefined): ErrorFormat {
  return value === 'json' || value === 'csv' ? value : 'xml';
}

export function renderError(format: ErrorFormat, message: string): { contentType: string; body: string } {
  if (format === 'json') return { contentType: 'application/json; charset=utf-8', body: JSON.stringify({ error: message }) };
  if (format === 'csv') return { contentType: 'text/csv; charset=utf-8', body: `ERROR: ${message}` };
  return {
    contentType: 'text/xml; charset=utf-8',
    body: `<?xml version="1.0" encoding="UTF-8" ?>\n<hash>\n\t<error>${escapeXml(message)}</error>\n</hash>`,
  };
}

const XML_ESCAPES: Readonly<Record<string, string>> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' };
const escapeXml = (value: string): string => value.replace(/[<>&"']/g, (c) => XML_ESCAPES[c] ?? c);

/** Import problems as REDCap lists them: one `"record","field","value","message"` CSV line each, every cell quoted. */
export function problemLines(problems: readonly ProblemLine[]): string {
  return problems.map((p) => [p.record, p.field, p.value, p.message].map(quotedCell).join(',')).join('\n');
}
