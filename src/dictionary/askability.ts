/** Whether a field can be asked by text message at all, and why not; display-only types are "askable" (shown). */
import type { Field } from './model.js';

export type Askability = { askable: true } | { askable: false; reason: string };

export function smsAskability(field: Field): Askability {
  if (field.type === 'file' && field.validation === 'signature') {
    return { askable: false, reason: 'signature field: a signature cannot be drawn in a text message' };
  }
  if (field.type === 'file') return { askable: false, reason: 'file upload field: files cannot be sent by text message' };
  if (field.type === 'sql') {
    return { askable: false, reason: 'sql field: its choices come from a database query inside REDCap' };
  }
  if ((field.type === 'radio' || field.type === 'dropdown' || field.type === 'checkbox') && field.choices.length === 0) {
    return { askable: false, reason: `${field.type} field without choices (an external module may fill them in REDCap)` };
  }
  return { askable: true };
}
