/**
 * The Field Annotation cell: action tags mixed with free text. We parse the tags an SMS survey acts on
 * and keep every other `@WORD…` verbatim as unknown, as REDCap silently ignores what it does not know.
 */
import type { ActionTags } from './model.js';

export interface ParsedTags {
  tags: ActionTags;
  /** Problems worth a warning: unknown tag names, unbalanced parentheses, bad numbers. */
  problems: string[];
}

export const emptyTags = (): ActionTags => ({
  hidden: false, hiddenSurvey: false, readonly: false, now: false, today: false,
  hideChoice: [], noneOfTheAbove: [], forceMinMax: false, ifs: [], unknown: [],
});

/**
 * REDCap tags that act only on data-entry forms, the mobile app, PDFs or the web page's widgets: they
 * change nothing in an SMS survey and are ignored without a warning.
 */
const NO_EFFECT_IN_SMS = new Set([
  'HIDDEN-FORM', 'HIDDEN-APP', 'HIDDEN-PDF', 'READONLY-FORM', 'READONLY-APP', 'APPUSERNAME-APP',
  'BARCODE-APP', 'SYNC-APP', 'HIDEBUTTON', 'INLINE', 'INLINE-PREVIEW', 'RICHTEXT', 'DOWNLOAD-COUNT',
  'CONSENT-VERSION', 'SQLCHECKBOX', 'NOMISSING', 'PLACEHOLDER', 'NONEOFTHEABOVE-SURVEY',
  'LANGUAGE-CURRENT-FORM', 'LANGUAGE-FORCE-FORM',
]);

/**
 * REDCap tags that would change a REDCap survey but that redcap-sms does not honour, with what the
 * participant gets instead; each use is a warning, so `dictionary check` lists them (decision 0044).
 */
export const UNSUPPORTED_TAGS: Readonly<Record<string, string>> = {
  RANDOMORDER: 'the choices are sent in dictionary order',
  MAXCHOICE: 'every choice stays on offer however often other participants chose it',
  'MAXCHOICE-SURVEY-COMPLETE': 'every choice stays on offer however often other participants chose it',
  USERNAME: 'the field is left as it is (REDCap fills it with the respondent\'s user name)',
  PASSWORDMASK: 'the answer travels as plain text in the participant\'s messages',
  LATITUDE: 'no location is captured by text message; the field is left as it is',
  LONGITUDE: 'no location is captured by text message; the field is left as it is',
  'LANGUAGE-CURRENT-SURVEY': 'name the field as the project\'s `languageField` instead: redcap-sms reads the participant\'s language from it and writes a language switch back to it',
  'LANGUAGE-FORCE': 'the participant\'s language comes from the invitation, the project\'s `languageField` or a switch word, whatever the tag says',
  'LANGUAGE-FORCE-SURVEY': 'the participant\'s language comes from the invitation, the project\'s `languageField` or a switch word, whatever the tag says',
  'LANGUAGE-SET': 'the participant\'s language comes from the invitation, the project\'s `languageField` or a switch word, whatever the tag says',
  'LANGUAGE-MENU-STATIC': 'the participant\'s language comes from the invitation, the project\'s `languageField` or a switch word, whatever the tag says',
};

interface Token {
  name: string;
  /** The argument: after `=` (quotes removed) or inside `(…)`; undefined for a flag. */
  value?: string;
  form: 'flag' | 'assign' | 'call';
  raw: string;
}

export function parseActionTags(annotation: string): ParsedTags {
  const tags = emptyTags();
  const problems: string[] = [];
  for (const token of tokenize(annotation, problems)) apply(tags, token, problems);
  return { tags, problems };
}

function tokenize(text: string, problems: string[]): Token[] {
  const tokens: Token[] = [];
  const tagStart = /(^|[^A-Za-z0-9_.@])@([A-Za-z][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*)/g;
  let match: RegExpExecArray | null;
  while ((match = tagStart.exec(text)) !== null) {
    const start = match.index + (match[1]?.length ?? 0);
    const name = (match[2] ?? '').toUpperCase();
    const argument = readArgument(text, tagStart.lastIndex, name, problems);
    tokens.push({ name, ...argument.token, raw: text.slice(start, argument.end) });
    tagStart.lastIndex = argument.end;
  }
  return tokens;
}

interface Argument {
  token: Pick<Token, 'value' | 'form'>;
  end: number;
}

function readArgument(text: string, at: number, name: string, problems: string[]): Argument {
  if (text[at] === '(') {
    const close = matchingParen(text, at);
    if (close < 0) {
      problems.push(`@${name}( has no closing parenthesis; the rest of the annotation is ignored`);
      return { token: { form: 'call', value: text.slice(at + 1) }, end: text.length };
    }
    return { token: { form: 'call', value: text.slice(at + 1, close) }, end: close + 1 };
  }
  const assign = /^\s*=\s*/.exec(text.slice(at));
  if (!assign) return { token: { form: 'flag' }, end: at };
  const valueAt = at + assign[0].length;
  const quote = text[valueAt];
  if (quote === '"' || quote === "'") {
    const close = text.indexOf(quote, valueAt + 1);
    const end = close < 0 ? text.length : close + 1;
    if (close < 0) problems.push(`@${name}= has no closing ${quote}; the rest of the annotation is its value`);
    return { token: { form: 'assign', value: text.slice(valueAt + 1, close < 0 ? text.length : close) }, end };
  }
  const bare = /^[^\s]*/.exec(text.slice(valueAt))?.[0] ?? '';
  return { token: { form: 'assign', value: bare }, end: valueAt + bare.length };
}

/** Index of the `)` closing the `(` at `open`, skipping quoted text; -1 when unbalanced. */
export function matchingParen(text: string, open: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < text.length; i++) {
    const char = text[i];
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '(') depth++;
    else if (char === ')' && --depth === 0) return i;
  }
  return -1;
}

/** Splits on commas that are outside quotes and parentheses. */
export function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '(') depth++;
    else if (char === ')') depth--;
    else if (char === ',' && depth === 0) {
      parts.push(text.slice(from, i));
      from = i + 1;
    }
  }
  parts.push(text.slice(from));
  return parts;
}

/** `@NOW`/`@TODAY` and their `-SERVER`/`-UTC` variants, each a stamp and whose clock it reads. */
const STAMPS: Readonly<Record<string, { stamp: 'now' | 'today'; clock?: 'server' | 'utc' }>> = {
  'NOW-SERVER': { stamp: 'now', clock: 'server' },
  'NOW-UTC': { stamp: 'now', clock: 'utc' },
  'TODAY-SERVER': { stamp: 'today', clock: 'server' },
  'TODAY-UTC': { stamp: 'today', clock: 'utc' },
};

const FLAGS: Readonly<Record<string, 'hidden' | 'hiddenSurvey' | 'readonly' | 'now' | 'today' | 'forceMinMax'>> = {
  HIDDEN: 'hidden',
  'HIDDEN-SURVEY': 'hiddenSurvey',
  READONLY: 'readonly',
  // Read-only in surveys is read-only for us: every SMS conversation is a survey.
  'READONLY-SURVEY': 'readonly',
  NOW: 'now',
  TODAY: 'today',
  'FORCE-MINMAX': 'forceMinMax',
};

const LIMITS: Readonly<Record<string, 'maxChecked' | 'charLimit' | 'wordLimit'>> = {
  MAXCHECKED: 'maxChecked',
  CHARLIMIT: 'charLimit',
  WORDLIMIT: 'wordLimit',
};

function apply(tags: ActionTags, token: Token, problems: string[]): void {
  const flag = FLAGS[token.name];
  const limit = LIMITS[token.name];
  const stamp = STAMPS[token.name];
  if (flag && token.form === 'flag') tags[flag] = true;
  else if (stamp && token.form === 'flag') {
    tags[stamp.stamp] = true;
    if (stamp.clock !== undefined) tags.clock = stamp.clock;
  }
  else if (limit && token.value !== undefined) applyLimit(tags, limit, token, problems);
  else if (token.value === undefined) keepUnknown(tags, token, problems);
  else applyValued(tags, token, token.value, problems);
}

function applyValued(tags: ActionTags, token: Token, value: string, problems: string[]): void {
  switch (token.name) {
    case 'DEFAULT':
      tags.default = value;
      return;
    case 'SETVALUE':
    case 'PREFILL':
      tags.setValue = value;
      return;
    case 'HIDECHOICE':
      tags.hideChoice.push(...codeList(value));
      return;
    case 'SHOWCHOICE':
      tags.showChoice = [...(tags.showChoice ?? []), ...codeList(value)];
      return;
    case 'NONEOFTHEABOVE':
      tags.noneOfTheAbove.push(...codeList(value));
      return;
    case 'CALCTEXT':
      if (token.form === 'call') tags.calcText = value.trim();
      else keepUnknown(tags, token, problems);
      return;
    case 'CALCDATE':
      applyCalcDate(tags, token, value, problems);
      return;
    case 'IF':
      applyIf(tags, token, value, problems);
      return;
    default:
      keepUnknown(tags, token, problems);
  }
}

const codeList = (value: string): string[] => value.split(',').map((code) => code.trim()).filter((code) => code !== '');

const unquote = (text: string): string => {
  const trimmed = text.trim();
  const first = trimmed[0];
  return (first === '"' || first === "'") && trimmed.endsWith(first) && trimmed.length >= 2
    ? trimmed.slice(1, -1)
    : trimmed;
};

function applyLimit(tags: ActionTags, key: 'maxChecked' | 'charLimit' | 'wordLimit', token: Token, problems: string[]): void {
  const text = unquote(token.value ?? '');
  if (/^\d+$/.test(text)) tags[key] = Number(text);
  else {
    problems.push(`@${token.name} needs a whole number, not "${text}"; the tag is ignored`);
    tags.unknown.push(token.raw);
  }
}

function applyCalcDate(tags: ActionTags, token: Token, value: string, problems: string[]): void {
  const parts = splitTopLevel(value).map((part) => part.trim());
  const [source, offset, unit] = parts;
  if (token.form !== 'call' || parts.length !== 3 || !source || !offset || !unit) {
    problems.push(`@CALCDATE needs (source, offset, unit), not "${token.raw}"; the tag is ignored`);
    tags.unknown.push(token.raw);
    return;
  }
  tags.calcDate = { source, offset, unit: unquote(unit) };
}

function applyIf(tags: ActionTags, token: Token, value: string, problems: string[]): void {
  const parts = splitTopLevel(value);
  const [condition, whenTrue = '', whenFalse = ''] = parts;
  if (token.form !== 'call' || parts.length < 2 || parts.length > 3 || !condition?.trim()) {
    problems.push(`@IF needs (condition, tags if true, tags if false), not "${token.raw}"; the tag is ignored`);
    tags.unknown.push(token.raw);
    return;
  }
  const branch = (text: string): ActionTags => {
    const parsed = parseActionTags(text);
    problems.push(...parsed.problems);
    return parsed.tags;
  };
  tags.ifs.push({ condition: condition.trim(), whenTrue: branch(whenTrue), whenFalse: branch(whenFalse) });
}

function keepUnknown(tags: ActionTags, token: Token, problems: string[]): void {
  tags.unknown.push(token.raw);
  const unsupported = UNSUPPORTED_TAGS[token.name] ?? (token.name.startsWith('LANGUAGE-') ? UNSUPPORTED_TAGS['LANGUAGE-SET'] : undefined);
  if (unsupported !== undefined) problems.push(`@${token.name} is not supported by redcap-sms: ${unsupported}`);
  else if (NO_EFFECT_IN_SMS.has(token.name)) return;
  else if (!isActedOn(token.name)) problems.push(`unknown action tag @${token.name}; it is ignored${spellingHint(token.name)}`);
  else problems.push(`@${token.name} is written in a form we do not understand ("${token.raw}"); it is ignored`);
}

const VALUED_TAGS = ['DEFAULT', 'SETVALUE', 'PREFILL', 'HIDECHOICE', 'SHOWCHOICE', 'NONEOFTHEABOVE', 'CALCTEXT', 'CALCDATE', 'IF'];

const isActedOn = (name: string): boolean =>
  name in FLAGS || name in LIMITS || name in STAMPS || VALUED_TAGS.includes(name);

/** `@NOW_UTC` (six times in CCC19) is `@NOW-UTC` with the wrong dash. */
function spellingHint(name: string): string {
  const dashed = name.replaceAll('_', '-');
  const known = dashed !== name && (isActedOn(dashed) || NO_EFFECT_IN_SMS.has(dashed) || dashed in UNSUPPORTED_TAGS);
  return known ? ` (did you mean @${dashed}?)` : '';
}
