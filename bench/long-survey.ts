/**
 * A long generated instrument for the cost-per-text measurements (issue 28): `fields` questions on one
 * instrument (after a contact instrument with the record id and the phone), every third one shown only when the one before it was answered '1', with a calculation
 * every 25 fields. Every question takes the reply '1', so a participant answering '1' to everything is
 * asked every question and the number of answers given is the number of texts sent.
 */
import { parseDictionary } from '../src/dictionary/index.js';
import type { Survey } from '../src/dictionary/model.js';

const HEADER = 'field_name,form_name,section_header,field_type,field_label,select_choices_or_calculations,field_note,' +
  'text_validation_type_or_show_slider_number,text_validation_min,text_validation_max,identifier,branching_logic,' +
  'required_field,custom_alignment,question_number,matrix_group_name,matrix_ranking,field_annotation';

export const LONG_INSTRUMENT = 'long';
/** Questions of the benchmarks' long instrument: 300 answers given still leave some to ask. */
export const LONG_QUESTIONS = 320;

/** The row of question i (1-based): radio, yes/no or integer in turn, every third branching on the one before. */
function question(i: number): string {
  const name = `q${i}`;
  const branching = i > 1 && i % 3 === 0 ? `"[q${i - 1}] = '1'"` : '';
  const label = `Question ${i}: how was it?`;
  const cells = [
    [name, LONG_INSTRUMENT, i % 25 === 1 ? `Part ${Math.ceil(i / 25)}` : '', 'radio', label, '"1, Good | 2, Fair | 3, Poor"', '', '', '', ''],
    [name, LONG_INSTRUMENT, '', 'yesno', label, '', '', '', '', ''],
    [name, LONG_INSTRUMENT, '', 'text', label, '', '', 'integer', '0', '100'],
  ][i % 3]!;
  return [...cells, '', branching, i % 4 === 0 ? 'y' : '', '', '', '', '', ''].join(',');
}

/** A calculation after question i: not asked, recomputed as REDCap does on every save. */
function calculation(i: number): string {
  return [`c${i}`, LONG_INSTRUMENT, '', 'calc', `Score ${i}`, `"sum([q${i - 1}], [q${i}])"`, '', '', '', '', '', '', '', '', '', '', '', ''].join(',');
}

export function longSurveyCsv(fields: number): string {
  // A contact instrument holds the record id and the phone, as in the demo project (PHONE_FIELD names it).
  const rows = [HEADER, 'record_id,contact,,text,Record ID,,,,,,,,,,,,,', 'phone,contact,,text,Mobile phone,,,phone,,,,,,,,,,'];
  for (let i = 1; i <= fields; i += 1) {
    rows.push(question(i));
    if (i % 25 === 0) rows.push(calculation(i));
  }
  return `${rows.join('\n')}\n`;
}

export function longSurvey(fields: number): Survey {
  const parsed = parseDictionary(longSurveyCsv(fields), 'csv');
  if (parsed.survey === null) throw new Error(`the generated ${fields}-question survey does not load`);
  return parsed.survey;
}
