import { silentReason, smsAskability } from '../dictionary/index.js';
import type { Field, Survey } from '../dictionary/model.js';
import type { Catalog } from '../messages/catalog.js';
import { renderPrompt } from './prompt.js';

export interface InstrumentCost {
  instrument: string;
  /** The most segments any one question costs. */
  longestSegments: number;
  /** Segments of every question once: the study's cost per completed survey (excluding re-asks). */
  totalSegments: number;
  /** Questions that cost more than two segments, worth shortening. */
  overTwoSegments: string[];
}

/** Piped values are unknown before a record exists; a blank of typical length stands in for them. */
const PIPE_PLACEHOLDER = '______';
const estimatePipe = (text: string): string => text.replace(/\[[^\][]*\]/g, PIPE_PLACEHOLDER);

export function promptCost(survey: Survey, catalog: Catalog): InstrumentCost[] {
  return survey.instruments.map((instrument) => instrumentCost(survey, instrument.name, catalog));
}

/** Every question of one instrument, rendered as a participant would first see it. */
export function instrumentCost(survey: Survey, instrument: string, catalog: Catalog): InstrumentCost {
  const costs = questionsWithLead(survey, instrument).map(({ field, lead }) => ({
    field: field.name,
    segments: renderPrompt({ survey, field, tags: field.tags, pipe: estimatePipe, catalog, lead, record: {} }).segments,
  }));
  return {
    instrument,
    longestSegments: Math.max(0, ...costs.map((c) => c.segments)),
    totalSegments: costs.reduce((sum, c) => sum + c.segments, 0),
    overTwoSegments: costs.filter((c) => c.segments > 2).map((c) => c.field),
  };
}

/** Walks the instrument in order, gathering section headers and descriptive text ahead of each question. */
function questionsWithLead(survey: Survey, instrument: string): { field: Field; lead: string[] }[] {
  const questions: { field: Field; lead: string[] }[] = [];
  let pending: string[] = [];
  for (const field of survey.fields.filter((f) => f.form === instrument)) {
    if (field.type === 'descriptive' && !neverShown(field)) {
      pending.push(...[field.sectionHeader, field.label].filter((t) => t !== ''));
    } else if (isAsked(field, survey)) {
      questions.push({ field, lead: [...pending, ...(field.sectionHeader === '' ? [] : [field.sectionHeader])] });
      pending = [];
    }
  }
  return questions;
}

function isAsked(field: Field, survey: Survey): boolean {
  return silentReason(field, field.tags, survey.recordIdField) === undefined && smsAskability(field).askable;
}

function neverShown(field: Field): boolean {
  return field.tags.hidden || field.tags.hiddenSurvey || field.tags.readonly;
}
