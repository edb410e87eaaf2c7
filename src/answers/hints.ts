import type { ActionTags, Choice, Field } from '../dictionary/model.js';
import { message, type Catalog } from '../messages/catalog.js';
import { choiceList } from './choices.js';
import { shownAnswer } from './prefill.js';
import type { RecordData } from './types.js';
import { textFormat } from './formats/index.js';
import { sliderScale } from './slider.js';

export interface HintInput {
  field: Field;
  tags: ActionTags;
  catalog: Catalog;
  /** The options on offer, for choice fields. */
  offered: Choice[];
  /** A label or text made ready for SMS (piped, HTML removed). */
  plain: (text: string) => string;
  /** The answer already filled in, if any. */
  prefilled?: RecordData | undefined;
}

/** What follows the label: the options or the expected format, limits, and how to skip (or keep a filled-in answer). */
export function answerHint(input: HintInput): string {
  const parts = [...typeHint(input), ...limitHints(input.tags, input.catalog)];
  const shown = input.prefilled === undefined ? '' : shownAnswer(input.field, input.prefilled, input.catalog, input.plain);
  if (shown !== '') parts.push(message(input.catalog, 'hint.prefilled', { value: shown }));
  else if (!input.field.required) parts.push(message(input.catalog, 'hint.skip'));
  return parts.filter((p) => p !== '').join(' ');
}

function typeHint(input: HintInput): string[] {
  const { field, catalog } = input;
  const list = choiceList(input.offered, (c) => input.plain(c.label));
  switch (field.type) {
    case 'radio':
    case 'dropdown':
    case 'yesno':
    case 'truefalse':
      return [list];
    case 'sql':
      return field.choices.length > 0 ? [list] : [];
    case 'checkbox':
      return [list, checkboxHint(input.offered, input.tags, catalog)];
    case 'slider':
      return sliderHint(input);
    case 'text':
      return [textFormat(field.validation).hint(catalog)];
    default:
      return [];
  }
}

function checkboxHint(offered: Choice[], tags: ActionTags, catalog: Catalog): string {
  const codes = offered.map((c) => c.code);
  const example = (codes.length >= 3 ? [codes[0], codes[2]] : codes.slice(0, 2)).join(',');
  const key = codes.every((c) => /^\d+$/.test(c)) ? 'hint.checkbox' : 'hint.checkboxCodes';
  const cap = tags.maxChecked === undefined ? '' : ` ${message(catalog, 'hint.maxChecked', { max: tags.maxChecked })}`;
  return `${message(catalog, key, { example })}${cap}.`;
}

function sliderHint(input: HintInput): string[] {
  const { min, max } = sliderScale(input.field);
  const labels = input.field.slider?.labels;
  const anchors: [number, string][] = [
    [min, labels?.left ?? ''],
    [Math.round((min + max) / 2), labels?.middle ?? ''],
    [max, labels?.right ?? ''],
  ];
  const named = anchors
    .map(([value, label]) => [value, input.plain(label)] as const)
    .filter(([value, label]) => label !== '' && label !== String(value))
    .map(([value, label]) => `${value} = ${label}`);
  const scale = message(input.catalog, 'hint.slider', { min, max });
  const legend = named.length === 0 ? '' : ` ${message(input.catalog, 'hint.sliderLabels', { labels: named.join(', ') })}`;
  return [`${scale}${legend}.`];
}

function limitHints(tags: ActionTags, catalog: Catalog): string[] {
  return [
    tags.charLimit === undefined ? '' : message(catalog, 'hint.charLimit', { limit: tags.charLimit }),
    tags.wordLimit === undefined ? '' : message(catalog, 'hint.wordLimit', { limit: tags.wordLimit }),
  ];
}
