/** Column F for choice fields: `code, label | code, label`, split on the first comma; codes may be words. */
import type { CheckboxExport, Choice, FieldType } from './model.js';

export const YESNO_CHOICES: readonly Choice[] = [{ code: '1', label: 'Yes' }, { code: '0', label: 'No' }];
export const TRUEFALSE_CHOICES: readonly Choice[] = [{ code: '1', label: 'True' }, { code: '0', label: 'False' }];
export const FORM_STATUS_CHOICES: readonly Choice[] = [
  { code: '0', label: 'Incomplete' }, { code: '1', label: 'Unverified' }, { code: '2', label: 'Complete' },
];

/** Field types whose choices are written in column F. */
export const LISTED_CHOICE_TYPES: ReadonlySet<FieldType> = new Set<FieldType>(['radio', 'dropdown', 'checkbox']);

export interface ParsedChoices {
  choices: Choice[];
  /** Reasons for entries that were skipped; the field still loads with the rest. */
  problems: string[];
}

export function parseChoices(cell: string): ParsedChoices {
  const entries = cell.split('|').map((entry) => entry.trim()).filter((entry) => entry !== '');
  if (entries.length > 0 && entries.every((entry) => !entry.includes(','))) {
    // REDCap's import accepts `A | B | C` and invents the codes; we cannot know them, so we refuse to guess.
    return {
      choices: [],
      problems: ['the choices have labels but no codes ("A | B | C" shorthand); write them as "1, A | 2, B | 3, C" (a dictionary downloaded from REDCap has them)'],
    };
  }
  const choices: Choice[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    const comma = entry.indexOf(',');
    const code = comma < 0 ? '' : entry.slice(0, comma).trim();
    const label = comma < 0 ? entry : entry.slice(comma + 1).trim();
    if (code === '') problems.push(`the choice "${entry}" has no code before its comma; it is skipped`);
    else if (seen.has(code)) problems.push(`the choice code "${code}" appears twice; the second one is skipped`);
    else {
      seen.add(code);
      choices.push({ code, label });
    }
  }
  return { choices, problems };
}

/** REDCap's export column for one checkbox option: `field___code`, code lowercased, other characters `_`. */
export function checkboxExportName(field: string, code: string): string {
  return `${field}___${code.toLowerCase().replace(/[^a-z0-9]/g, '_')}`;
}

export function checkboxExports(field: string, choices: readonly Choice[]): CheckboxExport[] {
  return choices.map(({ code }) => ({ code, exportName: checkboxExportName(field, code) }));
}
