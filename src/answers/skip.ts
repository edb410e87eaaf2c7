import type { Field } from '../dictionary/model.js';
import { checkboxColumns } from './checkbox-exports.js';
import type { RecordData } from './types.js';

/**
 * What SKIP stores for an optional field: blank, REDCap's "no answer". A checkbox has no blank in
 * REDCap (an unticked box exports as 0), so skipping one stores 0 for every option.
 */
export function skipValues(field: Field): RecordData {
  if (field.type === 'checkbox') {
    return Object.fromEntries(checkboxColumns(field).map(({ column }) => [column, '0']));
  }
  return { [field.name]: '' };
}
