/**
 * Reads REDCap's three error shapes — JSON `{"error": …}`, plain text `ERROR: …` and XML
 * `<hash><error>…</error></hash>` — into one text, and splits import validation errors
 * (`"record","field","value","message"` lines) into problems that leave the value behind.
 */
import { parse } from 'csv-parse/sync';
import type { ImportProblem } from '../../ports/redcap/errors.js';

/** REDCap's error text if the body is one of its error shapes, else undefined. */
export function readErrorBody(body: string): string | undefined {
  const text = body.trim();
  if (text.startsWith('{')) return jsonError(text);
  if (text.startsWith('<')) return xmlError(text);
  if (/^ERROR:/i.test(text)) return text.replace(/^ERROR:\s*/i, '');
  return undefined;
}

function jsonError(text: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || !('error' in parsed)) return undefined;
  const { error } = parsed;
  const fields = 'fields' in parsed && Array.isArray(parsed.fields) ? parsed.fields.map(String) : [];
  const message = typeof error === 'string' ? error : JSON.stringify(error);
  // Older servers listed unknown import fields beside the message rather than in it.
  return fields.length > 0 ? `${message}: ${fields.join(', ')}` : message;
}

const XML_ENTITIES: Readonly<Record<string, string>> = { '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'", '&amp;': '&' };

function xmlError(text: string): string | undefined {
  const match = /<error>([\s\S]*?)<\/error>/i.exec(text);
  if (!match) return undefined;
  return (match[1] ?? '').replace(/&(lt|gt|quot|apos|amp);/g, (entity) => XML_ENTITIES[entity] ?? entity).trim();
}

/**
 * The problems of an import validation error, or [] when the text is not made of
 * `record,field,value,message` CSV lines.
 */
export function importProblems(text: string): ImportProblem[] {
  if (!text.trimStart().startsWith('"')) return [];
  let rows: string[][];
  try {
    rows = parse(text, { relax_column_count: true, skip_empty_lines: true, trim: true });
  } catch {
    return [];
  }
  if (rows.length === 0 || rows.some((row) => row.length !== 4)) return [];
  return rows.map(([record = '', field = '', , message = '']) => ({ record, field, message }));
}

/** A one-line summary of import problems, naming records and fields but never the rejected values. */
export function describeProblems(problems: readonly ImportProblem[]): string {
  const shown = problems.slice(0, 5).map((p) => `record "${p.record}" field "${p.field}": ${p.message}`);
  const more = problems.length > shown.length ? `; and ${problems.length - shown.length} more` : '';
  return `${problems.length} value(s) rejected: ${shown.join('; ')}${more}`;
}
