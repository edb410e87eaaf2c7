/**
 * Whether a field can be asked by text message at all (`smsAskability`), and whether a survey ever
 * asks it (`silentReason`): a field can be perfectly askable yet never asked, because REDCap computes
 * it, shows it only as text, or an action tag keeps it off the survey. The navigator and
 * `dictionary check` share these rules, so the counts the check reports are the questions texted.
 */
import type { ActionTags, Field } from './model.js';

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

/** Calculated in the survey, never typed by the participant: calc fields, @CALCTEXT and @CALCDATE. */
export function isComputed(field: Field, tags: ActionTags): boolean {
  return field.type === 'calc' || tags.calcText !== undefined || tags.calcDate !== undefined;
}

/**
 * Why a survey never asks this field by text although it is on the instrument (the record ID, a
 * calculation, descriptive text, a hidden, read-only or time-stamped field), or undefined when it is
 * asked wherever branching shows it. `tags` are the field's tags as resolved for the record (`@IF`).
 */
export function silentReason(field: Field, tags: ActionTags, recordIdField: string): string | undefined {
  if (field.formStatus) return 'form status: set to Complete when the survey ends';
  if (field.name === recordIdField) return 'record ID: known before the survey starts';
  if (field.type === 'descriptive') return 'descriptive text: sent with the next question, no answer expected';
  if (field.type === 'calc') return 'calculated field: computed, never asked';
  if (tags.calcText !== undefined) return '@CALCTEXT: computed, never asked';
  if (tags.calcDate !== undefined) return '@CALCDATE: computed, never asked';
  if (tags.hidden) return '@HIDDEN: never shown in a survey';
  if (tags.hiddenSurvey) return '@HIDDEN-SURVEY: never shown in a survey';
  if (tags.readonly) return '@READONLY: shown in REDCap, never asked (its @DEFAULT or @SETVALUE is written)';
  if (tags.now) return '@NOW: stamped with the time, never asked';
  if (tags.today) return '@TODAY: stamped with the date, never asked';
  return undefined;
}
