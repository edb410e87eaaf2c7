/**
 * Recursive-descent parser for REDCap logic. Precedence, loosest first:
 * `or`/`||`, `and`/`&&`, comparisons, `+ -`, `* /`, unary minus, `^` (right-associative).
 */
import { isInstanceSmartVariable, type BinaryOp, type Expr, type FieldNode, type InstanceRef } from './ast.js';
import { functionArity, literalArgumentProblem } from './functions.js';
import { LogicSyntaxError } from './syntax-error.js';
import { tokenize, type Token } from './tokenizer.js';

export type ParseResult = { ok: true; expr: Expr } | { ok: false; error: LogicSyntaxError };

/** Parses without throwing: a syntax problem comes back as a value with its position. */
export function parseLogic(source: string): ParseResult {
  try {
    return { ok: true, expr: parseLogicOrThrow(source) };
  } catch (error) {
    if (error instanceof LogicSyntaxError) return { ok: false, error };
    throw error;
  }
}

export function parseLogicOrThrow(source: string): Expr {
  const tokens = tokenize(source);
  if (tokens.length === 1) throw new LogicSyntaxError('the expression is empty', 0);
  const parser = new Parser(tokens);
  const expr = parser.expression();
  parser.expectEnd();
  return expr;
}

const COMPARISONS: Readonly<Record<string, BinaryOp>> = {
  '=': '=', '<>': '<>', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=',
};

class Parser {
  private index = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  expression(): Expr {
    return this.or();
  }

  expectEnd(): void {
    const token = this.peek();
    if (token.kind !== 'end') throw new LogicSyntaxError(`unexpected ${describe(token)}; is an operator missing?`, token.pos);
  }

  private or(): Expr {
    return this.logical('or', '||', () => this.and());
  }

  private and(): Expr {
    return this.logical('and', '&&', () => this.comparison());
  }

  /** `and`/`or` in any case, or their `&&`/`||` spellings, left-associative. */
  private logical(op: 'and' | 'or', symbol: string, operand: () => Expr): Expr {
    let left = operand();
    while (this.isLogical(op, symbol)) {
      const token = this.next();
      left = { kind: 'binary', op, left, right: this.operand(token, operand), pos: token.pos };
    }
    return left;
  }

  private comparison(): Expr {
    let left = this.additive();
    for (let op = this.comparisonOp(); op !== undefined; op = this.comparisonOp()) {
      const token = this.next();
      left = { kind: 'binary', op, left, right: this.operand(token, () => this.additive()), pos: token.pos };
    }
    return left;
  }

  private additive(): Expr {
    return this.leftAssociative(['+', '-'], () => this.multiplicative());
  }

  private multiplicative(): Expr {
    return this.leftAssociative(['*', '/'], () => this.unary());
  }

  private leftAssociative(ops: readonly string[], operand: () => Expr): Expr {
    let left = operand();
    while (this.peek().kind === 'op' && ops.includes(this.peek().text)) {
      const token = this.next();
      left = { kind: 'binary', op: token.text as BinaryOp, left, right: this.operand(token, operand), pos: token.pos };
    }
    return left;
  }

  private unary(): Expr {
    const token = this.peek();
    if (token.kind === 'op' && token.text === '-') {
      this.next();
      return { kind: 'unary', op: '-', operand: this.operand(token, () => this.unary()), pos: token.pos };
    }
    if (token.kind === 'op' && token.text === '+') {
      this.next();
      return this.operand(token, () => this.unary());
    }
    return this.power();
  }

  private power(): Expr {
    const base = this.primary();
    if (this.peek().kind !== 'op' || this.peek().text !== '^') return base;
    const token = this.next();
    return { kind: 'binary', op: '^', left: base, right: this.operand(token, () => this.unary()), pos: token.pos };
  }

  private primary(): Expr {
    const token = this.peek();
    switch (token.kind) {
      case 'number': this.next(); return { kind: 'number', text: token.text, pos: token.pos };
      case 'string': this.next(); return { kind: 'string', value: token.text, pos: token.pos };
      case 'bracket': return this.reference();
      case 'word': return this.word();
      case '(': {
        this.next();
        const inner = this.expression();
        this.expect(')', `this "(" is never closed`, token.pos);
        return inner;
      }
      default:
        throw new LogicSyntaxError(`expected a value but found ${describe(token)}`, token.pos);
    }
  }

  private word(): Expr {
    const token = this.next();
    const lower = token.text.toLowerCase();
    if (this.peek().kind === '(') return this.call(token, lower);
    if (lower === 'true' || lower === 'false') return { kind: 'boolean', value: lower === 'true', pos: token.pos };
    throw new LogicSyntaxError(`"${token.text}" is not a value: put field names in [brackets] and text in 'quotes'`, token.pos);
  }

  private call(name: Token, lower: string): Expr {
    const arity = functionArity(lower);
    if (arity === undefined) throw new LogicSyntaxError(`unknown function "${name.text}"`, name.pos);
    this.next(); // (
    const args: Expr[] = [];
    if (this.peek().kind !== ')') {
      args.push(this.expression());
      while (this.peek().kind === ',') {
        this.next();
        args.push(this.expression());
      }
    }
    this.expect(')', `the call to ${name.text} is never closed with ")"`, name.pos);
    if (args.length < arity.min || args.length > arity.max) {
      throw new LogicSyntaxError(`${lower}() takes ${describeArity(arity)}, not ${args.length}`, name.pos);
    }
    const problem = literalArgumentProblem(lower, args);
    if (problem !== undefined) throw new LogicSyntaxError(problem.message, problem.pos);
    return { kind: 'call', name: lower, args, pos: name.pos };
  }

  /** `[a]`, `[a(code)]`, `[event][a]`, `[a][2]`, `[event][a][previous-instance]`, `[record-name]`. */
  private reference(): Expr {
    const groups = [this.next()];
    while (this.peek().kind === 'bracket' && this.peek().pos === groups[groups.length - 1]!.end) groups.push(this.next());
    return referenceFromGroups(groups);
  }

  private operand(after: Token, parse: () => Expr): Expr {
    if (this.peek().kind === 'end') throw new LogicSyntaxError(`expected a value after "${after.text}"`, after.pos);
    return parse();
  }

  private comparisonOp(): BinaryOp | undefined {
    const token = this.peek();
    return token.kind === 'op' ? COMPARISONS[token.text] : undefined;
  }

  private isLogical(word: string, symbol: string): boolean {
    const token = this.peek();
    return (token.kind === 'word' && token.text.toLowerCase() === word) || (token.kind === 'op' && token.text === symbol);
  }

  private expect(kind: Token['kind'], message: string, pos: number): void {
    if (this.peek().kind !== kind) throw new LogicSyntaxError(message, pos);
    this.next();
  }

  private peek(): Token {
    return this.tokens[this.index] ?? this.tokens[this.tokens.length - 1]!;
  }

  private next(): Token {
    const token = this.peek();
    if (this.index < this.tokens.length - 1) this.index += 1;
    return token;
  }
}

const FIELD_PART = /^([A-Za-z][A-Za-z0-9_]*)(?:\(([^()]+)\))?(?::([A-Za-z][A-Za-z0-9_-]*))?$/;
const SMART_VARIABLE = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)+(?::[^\]]*)?$/i;

function referenceFromGroups(groups: readonly Token[]): Expr {
  const [first, second, third] = groups;
  if (groups.length > 3) throw new LogicSyntaxError('too many [bracket] groups in a row', groups[3]!.pos);
  if (second === undefined) {
    return isSmart(first!) ? { kind: 'smart', name: first!.text.toLowerCase(), pos: first!.pos } : fieldPart(first!);
  }
  if (third === undefined && isInstance(second)) return withInstance(fieldPart(first!), second);
  const field = { ...fieldPart(second), event: eventName(first!), pos: first!.pos };
  return third === undefined ? field : withInstance(field, third);
}

function isSmart(group: Token): boolean {
  return SMART_VARIABLE.test(group.text);
}

function isInstance(group: Token): boolean {
  return /^\d+$/.test(group.text) || isInstanceSmartVariable(group.text.toLowerCase());
}

function fieldPart(group: Token): FieldNode {
  const match = FIELD_PART.exec(group.text);
  if (match === null) {
    throw new LogicSyntaxError(`"[${group.text}]" is not a field name (letters, digits and _, optionally with a (code) or a :modifier)`, group.pos);
  }
  const node: FieldNode = { kind: 'field', name: match[1]!.toLowerCase(), pos: group.pos };
  if (match[2] !== undefined) node.code = match[2];
  if (match[3] !== undefined) node.modifier = match[3].toLowerCase();
  return node;
}

function eventName(group: Token): string {
  if (!/^[A-Za-z0-9_-]+$/.test(group.text)) throw new LogicSyntaxError(`"[${group.text}]" is not an event name`, group.pos);
  return group.text.toLowerCase();
}

function withInstance(field: FieldNode, group: Token): FieldNode {
  if (!isInstance(group)) throw new LogicSyntaxError(`"[${group.text}]" is not an instance number`, group.pos);
  const lower = group.text.toLowerCase();
  const instance: InstanceRef = /^\d+$/.test(lower) ? Number(lower) : (lower as InstanceRef);
  return { ...field, instance };
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'end': return 'the end of the expression';
    case 'string': return `the text '${token.text}'`;
    case 'bracket': return `[${token.text}]`;
    default: return `"${token.text}"`;
  }
}

function describeArity(arity: { min: number; max: number }): string {
  if (arity.min === arity.max) return `${arity.min} argument${arity.min === 1 ? '' : 's'}`;
  if (arity.max === Infinity) return `at least ${arity.min} argument${arity.min === 1 ? '' : 's'}`;
  return `${arity.min} to ${arity.max} arguments`;
}
