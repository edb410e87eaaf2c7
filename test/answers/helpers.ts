import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseDictionary } from '../../src/dictionary/index.js';
import { ActionTagsSchema, FieldSchema, SurveySchema, type ActionTags, type Field, type Survey } from '../../src/dictionary/model.js';
import { parseReply } from '../../src/answers/index.js';
import type { RecordData, ReplyOutcome } from '../../src/answers/index.js';
import { englishCatalog, type Catalog } from '../../src/messages/catalog.js';

const DICTIONARIES = new URL('../../fixtures/dictionaries/', import.meta.url);

/** A real dictionary from fixtures/, loaded through the project's own loader. */
const loaded = new Map<string, Survey>();

export function loadFixture(file: string): Survey {
  const cached = loaded.get(file);
  if (cached !== undefined) return cached;
  const load = parseDictionary(readFileSync(fileURLToPath(new URL(file, DICTIONARIES))));
  if (load.survey === null) throw new Error(`${file} did not load: ${load.diagnostics.map((d) => d.message).join('; ')}`);
  loaded.set(file, load.survey);
  return load.survey;
}

export function fieldOf(survey: Survey, name: string): Field {
  const field = survey.fields.find((f) => f.name === name);
  if (field === undefined) throw new Error(`no field ${name}`);
  return field;
}

export function tagsOf(overrides: Partial<ActionTags> = {}): ActionTags {
  return ActionTagsSchema.parse({
    hidden: false, hiddenSurvey: false, readonly: false, now: false, today: false, hideChoice: [],
    noneOfTheAbove: [], forceMinMax: false, ifs: [], unknown: [], ...overrides,
  });
}

/** A field built in a test, checked against the model's schema so it cannot drift from the real shape. */
export function testField(overrides: Partial<Field> & Pick<Field, 'name' | 'type'>): Field {
  return FieldSchema.parse({
    form: 'form_1', label: `Label of ${overrides.name}`, note: '', sectionHeader: '', choices: [], checkboxExports: [],
    validation: null, min: null, max: null, required: false, identifier: false, branching: null, matrix: null,
    questionNumber: null, annotation: '', tags: tagsOf(), formStatus: false, source: {}, ...overrides,
  });
}

export function testSurvey(fields: Field[]): Survey {
  const record = testField({ name: 'record_id', type: 'text' });
  return SurveySchema.parse({
    id: 'test', recordIdField: 'record_id',
    instruments: [{ name: 'form_1', fields: [record.name, ...fields.map((f) => f.name)], completeField: 'form_1_complete' }],
    fields: [record, ...fields],
  });
}

/** Noon on 5 March 2026 in New York. */
export const NOW = new Date('2026-03-05T17:00:00Z');
export const ZONE = 'America/New_York';

export interface ReplyOptions {
  survey?: Survey;
  tags?: ActionTags;
  record?: RecordData;
  now?: Date;
  timeZone?: string;
  catalog?: Catalog;
}

export function replyTo(field: Field, text: string, options: ReplyOptions = {}): ReplyOutcome {
  return parseReply({
    survey: options.survey ?? testSurvey([field]),
    field,
    tags: options.tags ?? field.tags,
    text,
    record: options.record ?? {},
    now: options.now ?? NOW,
    timeZone: options.timeZone ?? ZONE,
    catalog: options.catalog ?? englishCatalog,
  });
}

/** The stored value of an accepted single-field reply, or the outcome's kind and message otherwise. */
export function storedOrWhy(field: Field, text: string, options: ReplyOptions = {}): string {
  const outcome = replyTo(field, text, options);
  if (outcome.kind === 'accepted') return outcome.values[field.name] ?? JSON.stringify(outcome.values);
  return `${outcome.kind}: ${outcome.message}`;
}
