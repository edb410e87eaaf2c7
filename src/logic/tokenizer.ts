/**
 * Splits REDCap logic text into tokens. Comments (`#` and `//` to the end of the line) and
 * whitespace, including newlines, vanish here so the parser never sees them.
 */
import { LogicSyntaxError } from './syntax-error.js';

export type TokenKind = 'number' | 'string' | 'word' | 'bracket' | 'op' | '(' | ')' | ',' | 'end';

export interface Token {
  kind: TokenKind;
  /** The number's digits, the string's content, the word, the bracket's inside, or the operator. */
  text: string;
  pos: number;
  /** Offset just past the token, so the parser can tell `[a][b]` from `[a] [b]`. */
  end: number;
}

const OPERATORS = ['<>', '!=', '<=', '>=', '&&', '||', '=', '<', '>', '+', '-', '*', '/', '^'];
const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER = /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const SPACE = /\s+/y;

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < source.length) {
    const skipped = skipSpaceAndComments(source, at);
    if (skipped !== at) { at = skipped; continue; }
    const token = readToken(source, at);
    tokens.push(token);
    at = token.end;
  }
  tokens.push({ kind: 'end', text: '', pos: source.length, end: source.length });
  return tokens;
}

function skipSpaceAndComments(source: string, at: number): number {
  SPACE.lastIndex = at;
  if (SPACE.test(source)) return SPACE.lastIndex;
  if (source[at] === '#' || source.startsWith('//', at)) {
    const newline = source.indexOf('\n', at);
    return newline === -1 ? source.length : newline + 1;
  }
  return at;
}

function readToken(source: string, at: number): Token {
  const char = source[at] ?? '';
  if (char === "'" || char === '"') return readString(source, at, char);
  if (char === '[') return readBracket(source, at);
  if (char === '(' || char === ')' || char === ',') return { kind: char, text: char, pos: at, end: at + 1 };
  const number = matchAt(NUMBER, source, at);
  if (number !== null) return { kind: 'number', text: number, pos: at, end: at + number.length };
  const word = matchAt(WORD, source, at);
  if (word !== null) return { kind: 'word', text: word, pos: at, end: at + word.length };
  const op = OPERATORS.find((candidate) => source.startsWith(candidate, at));
  if (op !== undefined) return { kind: 'op', text: op, pos: at, end: at + op.length };
  throw new LogicSyntaxError(`unexpected character "${char}"`, at);
}

function matchAt(pattern: RegExp, source: string, at: number): string | null {
  pattern.lastIndex = at;
  const match = pattern.exec(source);
  return match === null ? null : match[0];
}

/** REDCap strings have no escapes: a string ends at the next quote of the same kind. */
function readString(source: string, at: number, quote: string): Token {
  const close = source.indexOf(quote, at + 1);
  if (close === -1) throw new LogicSyntaxError(`the text starting here has no closing ${quote}`, at);
  return { kind: 'string', text: source.slice(at + 1, close), pos: at, end: close + 1 };
}

function readBracket(source: string, at: number): Token {
  let close = at + 1;
  while (close < source.length && source[close] !== ']' && source[close] !== '[' && source[close] !== '\n') close += 1;
  if (source[close] !== ']') throw new LogicSyntaxError('this "[" has no matching "]"', at);
  return { kind: 'bracket', text: source.slice(at + 1, close), pos: at, end: close + 1 };
}
