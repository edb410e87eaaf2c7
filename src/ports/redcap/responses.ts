/**
 * The shapes of REDCap's JSON answers (API help pages, client test suites and recorded bodies; see
 * docs/decisions/0009). Checked on arrival so a proxy's HTML page or a changed server is a clear error,
 * not a crash three modules later. Objects are loose: newer REDCap versions add keys.
 */
import { z } from 'zod';
import { COLUMN_KEYS, type ColumnKey } from '../../dictionary/columns.js';

/** One `content=metadata` row: the 18 dictionary columns, every value a string. */
export type MetadataRow = Record<ColumnKey, string>;
export const MetadataRowSchema = z.looseObject(
  Object.fromEntries(COLUMN_KEYS.map((key) => [key, z.string()])) as Record<ColumnKey, z.ZodString>,
);

/** Ids and flags are JSON numbers in `content=project`; the rest are strings. */
export const ProjectInfoSchema = z.looseObject({
  project_id: z.number(),
  project_title: z.string(),
  is_longitudinal: z.number(),
  has_repeating_instruments_or_events: z.number(),
  surveys_enabled: z.number(),
  in_production: z.number(),
});
export type ProjectInfo = z.infer<typeof ProjectInfoSchema>;

export const InstrumentInfoSchema = z.looseObject({ instrument_name: z.string(), instrument_label: z.string() });
export type InstrumentInfo = z.infer<typeof InstrumentInfoSchema>;

/** Servers and versions differ on numbers-as-text and null-or-blank labels; all are read the same way. */
export const RedcapEventSchema = z.looseObject({
  event_name: z.string(),
  arm_num: z.coerce.number(),
  unique_event_name: z.string(),
  custom_event_label: z.string().nullable().optional(),
  event_id: z.coerce.number().optional(),
});
export type RedcapEvent = z.infer<typeof RedcapEventSchema>;

export const RedcapArmSchema = z.looseObject({ arm_num: z.coerce.number(), name: z.string() });
export type RedcapArm = z.infer<typeof RedcapArmSchema>;

export const FormEventMappingSchema = z.looseObject({
  arm_num: z.coerce.number(),
  unique_event_name: z.string(),
  form: z.string(),
});
export type FormEventMapping = z.infer<typeof FormEventMappingSchema>;

/** `content=repeatingFormsEvents`: `form_name` '' for a repeating event; `event_name` '' in a classic project. */
export const RepeatingFormEventSchema = z.looseObject({
  event_name: z.string().nullable().transform((name) => name ?? ''),
  form_name: z.string().nullable().transform((name) => name ?? ''),
});
export type RepeatingFormEvent = z.infer<typeof RepeatingFormEventSchema>;

export const ExportFieldNameSchema = z.looseObject({
  original_field_name: z.string(),
  choice_value: z.string(),
  export_field_name: z.string(),
});
export type ExportFieldName = z.infer<typeof ExportFieldNameSchema>;

/**
 * A flat record row as strings. Some servers send `redcap_repeat_instance` as a JSON number; it is read
 * as text like every other value so callers compare one type.
 */
export type FlatRecord = Record<string, string>;
export const FlatRecordSchema = z
  .record(z.string(), z.union([z.string(), z.number(), z.null()]))
  .transform((row): FlatRecord =>
    Object.fromEntries(Object.entries(row).map(([key, value]) => [key, value === null ? '' : String(value)])));

export const ImportCountSchema = z.looseObject({ count: z.union([z.number(), z.string()]) });
