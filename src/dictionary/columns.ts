/**
 * The dictionary's columns: the API metadata keys are the canonical names; every CSV header REDCap has
 * written (today's 18 columns, the older 17 and 14) maps onto them.
 */

export const COLUMN_KEYS = [
  'field_name', 'form_name', 'section_header', 'field_type', 'field_label',
  'select_choices_or_calculations', 'field_note', 'text_validation_type_or_show_slider_number',
  'text_validation_min', 'text_validation_max', 'identifier', 'branching_logic', 'required_field',
  'custom_alignment', 'question_number', 'matrix_group_name', 'matrix_ranking', 'field_annotation',
] as const;
export type ColumnKey = (typeof COLUMN_KEYS)[number];

/** The Designer's current header for each key, used to name a column the file did not have. */
export const DESIGNER_HEADER: Readonly<Record<ColumnKey, string>> = {
  field_name: 'Variable / Field Name',
  form_name: 'Form Name',
  section_header: 'Section Header',
  field_type: 'Field Type',
  field_label: 'Field Label',
  select_choices_or_calculations: 'Choices, Calculations, OR Slider Labels',
  field_note: 'Field Note',
  text_validation_type_or_show_slider_number: 'Text Validation Type OR Show Slider Number',
  text_validation_min: 'Text Validation Min',
  text_validation_max: 'Text Validation Max',
  identifier: 'Identifier?',
  branching_logic: 'Branching Logic (Show field only if...)',
  required_field: 'Required Field?',
  custom_alignment: 'Custom Alignment',
  question_number: 'Question Number (surveys only)',
  matrix_group_name: 'Matrix Group Name',
  matrix_ranking: 'Matrix Ranking?',
  field_annotation: 'Field Annotation',
};

/** Headers of the older layouts that name a column differently. */
const LEGACY_HEADERS: Readonly<Record<string, ColumnKey>> = {
  'Choices OR Calculations': 'select_choices_or_calculations',
  'Text Validation Type': 'text_validation_type_or_show_slider_number',
};

/** Columns the 14-column layout had and we do not use. */
const IGNORED_HEADERS = ['Field Units'];

/**
 * Every layout (18, 17 and 14 columns) has these; the newer ones (alignment, question number, matrix,
 * annotation) default to blank when a file predates them.
 */
export const REQUIRED_KEYS: readonly ColumnKey[] = COLUMN_KEYS.slice(0, 13);

const normalise = (header: string): string => header.trim().toLowerCase().replace(/\s+/g, ' ');

const HEADER_TO_KEY: ReadonlyMap<string, ColumnKey> = new Map([
  ...COLUMN_KEYS.map((key): [string, ColumnKey] => [normalise(key), key]),
  ...COLUMN_KEYS.map((key): [string, ColumnKey] => [normalise(DESIGNER_HEADER[key]), key]),
  ...Object.entries(LEGACY_HEADERS).map(([header, key]): [string, ColumnKey] => [normalise(header), key]),
]);

export type HeaderMatch = { kind: 'column'; key: ColumnKey } | { kind: 'ignored' } | { kind: 'unknown' };

export function matchHeader(header: string): HeaderMatch {
  const name = normalise(header);
  const key = HEADER_TO_KEY.get(name);
  if (key) return { kind: 'column', key };
  if (IGNORED_HEADERS.some((ignored) => normalise(ignored) === name)) return { kind: 'ignored' };
  return { kind: 'unknown' };
}

/** The known header (Designer or API spelling) nearest to a misspelled one, if any is close. */
export function closestHeader(header: string, candidates: readonly ColumnKey[] = COLUMN_KEYS): string | undefined {
  const name = normalise(header);
  let best: { text: string; distance: number } | undefined;
  for (const key of candidates) {
    for (const text of [DESIGNER_HEADER[key], key]) {
      const distance = editDistance(name, normalise(text));
      if (!best || distance < best.distance) best = { text, distance };
    }
  }
  return best && best.distance <= Math.max(3, Math.floor(best.text.length / 3)) ? best.text : undefined;
}

/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
