/**
 * What a participant reads where a label holds an embedded field's `{placeholder}` (decision 0047):
 * never the raw `{…}`, but the field's answer as piping shows it (its label for a choice) or REDCap's
 * blank `______` while it has none.
 */
import { fieldMap, hostTexts, scanEmbedding, surveyEmbedding } from '../dictionary/index.js';
import type { Field, RecordData, Survey } from '../dictionary/model.js';
import { hasNoAnswer } from '../answers/index.js';
import { BLANK_PIPE } from '../logic/index.js';

/** Where another, still unanswered placeholder sits in the question about one of them. */
export const LATER_BLANK = '…';

/** Rewrites each `{field}` as `[field]`, so the piping that follows shows its answer or a blank. */
export function embedsAsPiping(text: string, survey: Survey): string {
  return replaceEmbeds(text, survey, (field) => `[${field.name}]`);
}

/**
 * The question for an embedded field whose own label is blank (often so: REDCap never shows it): the
 * host's text that holds it, with its own place as the blank and the other placeholders showing their
 * answers, or `…` while unanswered. Undefined when the field has a label of its own or no host.
 * `holder` is that host text as written, which need not be sent again as lead-in.
 */
export function embeddedQuestionLabel(survey: Survey, field: Field, record: RecordData): { label: string; holder: string } | undefined {
  if (field.label.trim() !== '') return undefined;
  const hostName = surveyEmbedding(survey).hostOf.get(field.name);
  const host = hostName === undefined ? undefined : fieldMap(survey).get(hostName);
  if (host === undefined) return undefined;
  const holder = hostTexts(host).find((text) => scanEmbedding(text).some((ref) => ref.name === field.name)) ?? '';
  const label = replaceEmbeds(holder, survey, (other) => {
    if (other.name === field.name) return BLANK_PIPE;
    return hasNoAnswer(other, record) ? LATER_BLANK : `[${other.name}]`;
  });
  return { label, holder };
}

function replaceEmbeds(text: string, survey: Survey, render: (field: Field) => string): string {
  const refs = scanEmbedding(text);
  if (refs.length === 0) return text;
  const fields = fieldMap(survey);
  let result = '';
  let at = 0;
  for (const ref of refs) {
    const field = fields.get(ref.name);
    if (field === undefined) continue;
    result += text.slice(at, ref.start) + render(field);
    at = ref.end;
  }
  return result + text.slice(at);
}
