/** A survey's id: the sha256 of the JSON of its fields, so the same dictionary always gets the same id. */
import { createHash } from 'node:crypto';
import type { Field } from './model.js';

/**
 * Fields are built by one code path whatever the source, so their key order is fixed and plain JSON is
 * canonical (a sorting serialiser cost half the load time). `source` is left out: where a field came from
 * (CSV line, JSON index) is not content, so a CSV and its JSON twin share an id.
 */
export function surveyId(fields: readonly Field[]): string {
  const content = fields.map(({ source: _source, ...rest }) => rest);
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}
