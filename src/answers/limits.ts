import type { ActionTags } from '../dictionary/model.js';
import { failWith, okValue, type Checked } from './types.js';

/** `@CHARLIMIT` counts characters as a person would (code points); `@WORDLIMIT` counts words. */
export function checkLimits(text: string, tags: ActionTags): Checked<string> {
  const chars = [...text].length;
  if (tags.charLimit !== undefined && chars > tags.charLimit) {
    return failWith('reply.charLimit', { limit: tags.charLimit, count: chars });
  }
  const words = text.split(/\s+/).filter((w) => w !== '').length;
  if (tags.wordLimit !== undefined && words > tags.wordLimit) {
    return failWith('reply.wordLimit', { limit: tags.wordLimit, count: words });
  }
  return okValue(text);
}
