/**
 * REDCap's field embedding: `{field}` (or `{field:icons}`) in another field's section header, label,
 * choice labels or note places that field's input inside the host's text instead of on its own row.
 * REDCap embeds only fields of the same instrument; a field shows in one place, hidden with its host.
 *
 * By text there is no inline input, so (decision 0047) an embedded field is asked right after its host,
 * in the order its placeholders appear, and each placeholder shows the field's answer or a blank.
 * This module works out who hosts whom, the order fields are asked in, and what the check reports.
 */
import type { Diagnostic, Field, Instrument, Survey } from './model.js';

export interface EmbedReference {
  name: string;
  /** Offsets of the whole `{…}` in the text. */
  start: number;
  end: number;
}

/** `{name}` or `{name:icons}`; a name is a REDCap variable name, so `{see note}` or `{0}` are prose. */
const EMBED = /\{([a-z][a-z0-9_]*)(?::icons)?\}/g;

export function scanEmbedding(text: string): EmbedReference[] {
  if (!text.includes('{')) return [];
  return [...text.matchAll(EMBED)].map((m) => ({ name: m[1]!, start: m.index, end: m.index + m[0].length }));
}

/** The host's texts in the order a reader meets them: header, label, choices, note. */
export function hostTexts(field: Field): string[] {
  return [field.sectionHeader, field.label, ...field.choices.map((choice) => choice.label), field.note];
}

export interface Embedding {
  /** The field each embedded field sits in. */
  hostOf: ReadonlyMap<string, string>;
  /** Each host's embedded fields, in the order their placeholders appear. */
  embeddedIn: ReadonlyMap<string, readonly string[]>;
  /** What a study team should know: placeholders REDCap would not embed, and what the SMS does instead. */
  diagnostics: Diagnostic[];
}

const cache = new WeakMap<Survey, Embedding>();

export function surveyEmbedding(survey: Survey): Embedding {
  let embedding = cache.get(survey);
  if (embedding === undefined) {
    embedding = buildEmbedding(survey);
    cache.set(survey, embedding);
  }
  return embedding;
}

function buildEmbedding(survey: Survey): Embedding {
  const byName = new Map(survey.fields.map((field) => [field.name, field]));
  const hostOf = new Map<string, string>();
  const embeddedIn = new Map<string, string[]>();
  const diagnostics: Diagnostic[] = [];
  const warn = (host: Field, message: string): void => {
    diagnostics.push({ severity: 'warning', ...host.source, field: host.name, message });
  };
  for (const host of survey.fields) {
    for (const { name } of hostTexts(host).flatMap(scanEmbedding)) {
      const embedded = byName.get(name);
      const problem = embedProblem(host, embedded, name, hostOf);
      if (problem !== undefined) {
        if (problem !== '') warn(host, problem);
        continue;
      }
      hostOf.set(name, host.name);
      embeddedIn.set(host.name, [...(embeddedIn.get(host.name) ?? []), name]);
    }
  }
  return { hostOf, embeddedIn, diagnostics };
}

/** Why `{name}` in the host is not an embedding ('' for a repeat of one already placed), or undefined. */
function embedProblem(host: Field, embedded: Field | undefined, name: string, hostOf: ReadonlyMap<string, string>): string | undefined {
  if (embedded === undefined) return `{${name}} names no field: it is sent as written`;
  if (embedded.name === host.name) return `{${name}} embeds the field in itself, which REDCap does not do: it shows the field's own answer`;
  if (embedded.form !== host.form) {
    return `{${name}} is on instrument "${embedded.form}", and REDCap embeds only fields of the same instrument: it is sent as ${name}'s answer`;
  }
  if (embedded.formStatus) return `{${name}} is the form status, which cannot be embedded: it shows the status (Incomplete, Unverified or Complete)`;
  const placed = hostOf.get(name);
  if (placed === host.name) return '';
  if (placed !== undefined) return `{${name}} is already embedded in ${placed}; REDCap shows a field once: it is asked after ${placed}, and here it shows the answer`;
  if (isAncestor(name, host.name, hostOf)) return `{${name}} would embed a field in one it hosts: it shows the answer`;
  return undefined;
}

function isAncestor(candidate: string, of: string, hostOf: ReadonlyMap<string, string>): boolean {
  for (let at = hostOf.get(of); at !== undefined; at = hostOf.get(at)) if (at === candidate) return true;
  return false;
}

const orders = new WeakMap<Survey, Map<string, readonly string[]>>();

/**
 * The instrument's fields in the order a text survey meets them: dictionary order, with each embedded
 * field moved to just after its host (after the host's other embedded fields before it, depth first).
 */
export function askOrder(survey: Survey, instrument: Instrument): readonly string[] {
  const byInstrument = orders.get(survey) ?? new Map<string, readonly string[]>();
  orders.set(survey, byInstrument);
  let order = byInstrument.get(instrument.name);
  if (order === undefined) {
    const { hostOf, embeddedIn } = surveyEmbedding(survey);
    const place = (name: string): string[] => [name, ...(embeddedIn.get(name) ?? []).flatMap(place)];
    order = instrument.fields.filter((name) => !hostOf.has(name)).flatMap(place);
    byInstrument.set(instrument.name, order);
  }
  return order;
}
