/**
 * The survey model: what a REDCap data dictionary means, as plain JSON-serialisable data.
 * Every other module (logic, answers, conversation, adapters) reads surveys only through these types.
 */
import { z } from 'zod';

export const FIELD_TYPES = [
  'text', 'notes', 'radio', 'dropdown', 'checkbox', 'yesno', 'truefalse',
  'calc', 'slider', 'file', 'descriptive', 'sql',
] as const;
export const FieldTypeSchema = z.enum(FIELD_TYPES);
export type FieldType = z.infer<typeof FieldTypeSchema>;

export const ChoiceSchema = z.object({
  code: z.string(),
  label: z.string(),
});
export type Choice = z.infer<typeof ChoiceSchema>;

/** A checkbox option's column name in exports and imports (`field___code`, REDCap's rules). */
export const CheckboxExportSchema = z.object({
  code: z.string(),
  exportName: z.string(),
});
export type CheckboxExport = z.infer<typeof CheckboxExportSchema>;

/** A validation min or max: a literal in the field's storage format, `today`, `now`, or another field. */
export const BoundSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('literal'), value: z.string() }),
  z.object({ kind: z.literal('today') }),
  z.object({ kind: z.literal('now') }),
  z.object({ kind: z.literal('field'), field: z.string() }),
]);
export type Bound = z.infer<typeof BoundSchema>;

export const SliderSchema = z.object({
  labels: z.object({ left: z.string(), middle: z.string(), right: z.string() }),
  min: z.number(),
  max: z.number(),
  showNumber: z.boolean(),
});
export type Slider = z.infer<typeof SliderSchema>;

export const CalcDateSchema = z.object({
  source: z.string(),
  offset: z.string(),
  unit: z.string(),
});

/** The action tags redcap-sms acts on; `@IF` branches hold nested tag sets chosen at ask time. */
export interface ActionTags {
  hidden: boolean;
  hiddenSurvey: boolean;
  readonly: boolean;
  default?: string;
  /** @SETVALUE (legacy @PREFILL): like @DEFAULT, but set every time the field is reached. */
  setValue?: string;
  now: boolean;
  today: boolean;
  /** Whose clock @NOW/@TODAY read: the participant's (absent), the project's (`-SERVER`), or UTC (`-UTC`). */
  clock?: 'server' | 'utc';
  calcText?: string;
  calcDate?: z.infer<typeof CalcDateSchema>;
  hideChoice: string[];
  showChoice?: string[];
  noneOfTheAbove: string[];
  maxChecked?: number;
  forceMinMax: boolean;
  charLimit?: number;
  wordLimit?: number;
  ifs: { condition: string; whenTrue: ActionTags; whenFalse: ActionTags }[];
  /** Tags REDCap has that we do not act on, or misspelled ones, kept verbatim (e.g. `@NOW_UTC`). */
  unknown: string[];
}

export const ActionTagsSchema: z.ZodType<ActionTags> = z.lazy(() =>
  z.object({
    hidden: z.boolean(),
    hiddenSurvey: z.boolean(),
    readonly: z.boolean(),
    default: z.string().optional(),
    setValue: z.string().optional(),
    now: z.boolean(),
    today: z.boolean(),
    clock: z.enum(['server', 'utc']).optional(),
    calcText: z.string().optional(),
    calcDate: CalcDateSchema.optional(),
    hideChoice: z.array(z.string()),
    showChoice: z.array(z.string()).optional(),
    noneOfTheAbove: z.array(z.string()),
    maxChecked: z.number().int().optional(),
    forceMinMax: z.boolean(),
    charLimit: z.number().int().optional(),
    wordLimit: z.number().int().optional(),
    ifs: z.array(
      z.object({ condition: z.string(), whenTrue: ActionTagsSchema, whenFalse: ActionTagsSchema }),
    ),
    unknown: z.array(z.string()),
  }),
) as z.ZodType<ActionTags>;

/** Where a field came from, so every message can point a study coordinator at the right cell. */
export const SourceSchema = z.object({
  /** 1-based CSV line of the row's start, counting the header as line 1. */
  line: z.number().int().optional(),
  /** 0-based index in the API metadata JSON array. */
  index: z.number().int().optional(),
});
export type Source = z.infer<typeof SourceSchema>;

export const FieldSchema = z.object({
  name: z.string(),
  form: z.string(),
  type: FieldTypeSchema,
  label: z.string(),
  note: z.string(),
  sectionHeader: z.string(),
  /** Radio, dropdown, checkbox, and sql with literal choices; yesno/truefalse get their fixed pairs. */
  choices: z.array(ChoiceSchema),
  checkboxExports: z.array(CheckboxExportSchema),
  calc: z.string().optional(),
  slider: SliderSchema.optional(),
  /** The validation type name as written (`date_mdy`, `number_2dp`, …); null for none. */
  validation: z.string().nullable(),
  min: BoundSchema.nullable(),
  max: BoundSchema.nullable(),
  required: z.boolean(),
  identifier: z.boolean(),
  branching: z.string().nullable(),
  matrix: z.object({ group: z.string(), ranking: z.boolean() }).nullable(),
  questionNumber: z.string().nullable(),
  /** The raw Field Annotation cell. */
  annotation: z.string(),
  tags: ActionTagsSchema,
  /** True only for the `{form}_complete` field REDCap adds to every instrument. */
  formStatus: z.boolean(),
  source: SourceSchema,
});
export type Field = z.infer<typeof FieldSchema>;

export const InstrumentSchema = z.object({
  name: z.string(),
  /**
   * The instrument's label, when the source knows it (REDCap's `content=instrument`). A data dictionary
   * has none; `instrumentLabel()` then derives it from the name.
   */
  label: z.string().optional(),
  /** Field names in dictionary order, ending with the instrument's `{form}_complete` field. */
  fields: z.array(z.string()),
  completeField: z.string(),
});
export type Instrument = z.infer<typeof InstrumentSchema>;

export const SurveySchema = z.object({
  /** Content hash of the normalised dictionary: the same input always gives the same id. */
  id: z.string(),
  recordIdField: z.string(),
  instruments: z.array(InstrumentSchema),
  /** Every field in dictionary order, including the `{form}_complete` fields. */
  fields: z.array(FieldSchema),
});
export type Survey = z.infer<typeof SurveySchema>;

export const DiagnosticSchema = z.object({
  severity: z.enum(['error', 'warning']),
  /** 1-based CSV line (header = 1) or 0-based JSON index, whichever the source had. */
  line: z.number().int().optional(),
  index: z.number().int().optional(),
  field: z.string().optional(),
  column: z.string().optional(),
  /** 0-based character offset inside the cell, for logic and piping errors. */
  position: z.number().int().optional(),
  message: z.string(),
});
export type Diagnostic = z.infer<typeof DiagnosticSchema>;

/** One record as REDCap's flat API shape: blank is '', a checkbox option is `field___code` = '0' | '1'. */
export type RecordData = Record<string, string>;
