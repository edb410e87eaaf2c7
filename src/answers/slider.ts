import type { Field } from '../dictionary/model.js';

/** REDCap's slider runs 0–100 unless the dictionary gives its own min and max. */
export function sliderScale(field: Field): { min: number; max: number } {
  return { min: field.slider?.min ?? 0, max: field.slider?.max ?? 100 };
}
