import { parse } from 'yaml';
import { z } from 'zod';
import { LanguagesSchema } from '../config/languages-schema.js';
import { isIsoDuration } from '../conversation/duration.js';

/** The next outgoing text: exactly this, or containing / matching this. */
const ExpectationSchema = z.union([
  z.string(),
  z.object({ contains: z.string() }).strict(),
  z.object({ matches: z.string() }).strict(),
]);
export type Expectation = z.infer<typeof ExpectationSchema>;

const InviteSchema = z.object({
  instrument: z.string().optional(),
  recordId: z.string().optional(),
  phone: z.string().optional(),
  /** Extra record data for this invitation, merged over the fixture's record. */
  record: z.record(z.string(), z.string()).optional(),
  /** The language the invitation chooses (an id from `languages`). */
  language: z.string().optional(),
}).strict();

const one = <K extends string, V extends z.ZodType>(key: K, value: V) => z.object({ [key]: value } as { [P in K]: V }).strict();

/** One step of a conversation transcript, written the way QA reads it. */
export const StepSchema = z.union([
  z.literal('invite'),
  z.literal('expect-none'),
  one('invite', InviteSchema),
  one('send', z.string()),
  one('expect', ExpectationSchema),
  one('wait', z.string().refine(isIsoDuration, { message: 'expected an ISO-8601 duration such as PT4H' })),
  one('expect-record', z.record(z.string(), z.string())),
  /** One status for the latest conversation, or a status per instrument. */
  one('expect-status', z.union([z.string(), z.record(z.string(), z.string())])),
]);
export type Step = z.infer<typeof StepSchema>;

export const FixtureSchema = z.object({
  description: z.string().optional(),
  /** Path of the data dictionary, relative to the fixture file. */
  dictionary: z.string(),
  instrument: z.string(),
  recordId: z.string().default('1'),
  phone: z.string().default('+15555550100'),
  /** The REDCap record before the survey: the row the conversation fills in. */
  record: z.record(z.string(), z.string()).default({}),
  /** A longitudinal or repeating project's design file (arms, events, repeating instruments), relative to the fixture. */
  design: z.string().optional(),
  /** The event the invitation is for (with `design`). */
  event: z.string().optional(),
  /** The record's rows across events and instances, as REDCap exports them (with `design`). */
  rows: z.array(z.record(z.string(), z.string())).optional(),
  /** Project settings (see ConversationSettingsSchema). */
  settings: z.record(z.string(), z.unknown()).default({}),
  /** Catalog overrides for this project. */
  catalog: z.record(z.string(), z.string()).default({}),
  /** The project's languages, as the project file's `languages` key (files relative to the fixture). */
  languages: LanguagesSchema.default([]),
  /** The record field holding the participant's language, as the project file's `languageField`. */
  languageField: z.string().optional(),
  /** The fake clock's start, ISO-8601 with offset. */
  start: z.string().refine((text) => !Number.isNaN(Date.parse(text)), { message: 'expected an ISO-8601 time' }),
  steps: z.array(StepSchema).min(1),
}).strict();
export type Fixture = z.infer<typeof FixtureSchema>;

export type FixtureLoad = { ok: true; fixture: Fixture } | { ok: false; error: string };

/** Reads a fixture from YAML (JSON is YAML too). */
export function parseFixture(text: string): FixtureLoad {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    return { ok: false, error: `not valid YAML/JSON: ${(error as Error).message}` };
  }
  const result = FixtureSchema.safeParse(raw);
  if (result.success) return { ok: true, fixture: result.data };
  return { ok: false, error: result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ') };
}

/** A step's kind and argument, whichever way it was written. */
export function stepParts(step: Step): [string, unknown] {
  if (typeof step === 'string') return [step, undefined];
  const [entry] = Object.entries(step);
  return entry === undefined ? ['', undefined] : [entry[0], entry[1]];
}
