/**
 * Resolving `@IF(condition, tags if true, tags if false)`: the chosen branch's tags (their own
 * `@IF`s resolved first) merge over the field's plain tags — flags OR together, single values from
 * the branch win, lists add up.
 */
import type { ActionTags } from '../dictionary/model.js';

export function resolveTags(tags: ActionTags, decide: (condition: string) => boolean): ActionTags {
  let merged: ActionTags = { ...tags, ifs: [] };
  for (const branch of tags.ifs) {
    const chosen = decide(branch.condition) ? branch.whenTrue : branch.whenFalse;
    merged = mergeTags(merged, resolveTags(chosen, decide));
  }
  return merged;
}

const FLAGS = ['hidden', 'hiddenSurvey', 'readonly', 'now', 'today', 'forceMinMax'] as const;
const SCALARS = ['default', 'setValue', 'clock', 'calcText', 'calcDate', 'maxChecked', 'charLimit', 'wordLimit'] as const;
const LISTS = ['hideChoice', 'noneOfTheAbove', 'unknown'] as const;

function mergeTags(base: ActionTags, over: ActionTags): ActionTags {
  const merged: ActionTags = { ...base, ifs: [] };
  for (const flag of FLAGS) merged[flag] = base[flag] || over[flag];
  for (const key of SCALARS) {
    if (over[key] !== undefined) Object.assign(merged, { [key]: over[key] });
  }
  for (const key of LISTS) merged[key] = [...base[key], ...over[key]];
  if (over.showChoice !== undefined) merged.showChoice = [...(base.showChoice ?? []), ...over.showChoice];
  return merged;
}
