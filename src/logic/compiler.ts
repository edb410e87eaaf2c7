/**
 * Turns a syntax tree into a tree of closures once, so evaluating branching logic per message is
 * a few function calls rather than a walk over the tree.
 */
import type { BinaryNode, Expr, FieldNode, SmartNode } from './ast.js';
import { comparatorAgainst, compareValues } from './compare.js';
import type { EvalContext } from './context.js';
import { functionImplementation } from './functions.js';
import { BLANK, numberOrBlank, toBoolean, toNumber, type Value } from './values.js';

export type Evaluator = (ctx: EvalContext) => Value;

/** How references reach data; the survey layer supplies these (checkbox columns, events, calcs). */
export interface ReferenceCompiler {
  field(node: FieldNode): Evaluator;
  smart(node: SmartNode): Evaluator;
}

export function compileExpr(expr: Expr, refs: ReferenceCompiler): Evaluator {
  switch (expr.kind) {
    case 'number': { const value = Number(expr.text); return () => value; }
    case 'string': { const value = expr.value; return () => value; }
    case 'boolean': { const value = expr.value; return () => value; }
    case 'field': return refs.field(expr);
    case 'smart': return refs.smart(expr);
    case 'unary': {
      const operand = compileExpr(expr.operand, refs);
      return (ctx) => negate(operand(ctx));
    }
    case 'binary': return compileBinary(expr, refs);
    case 'call': return compileCall(expr.name, expr.args.map((arg) => compileExpr(arg, refs)));
  }
}

function compileBinary(expr: BinaryNode, refs: ReferenceCompiler): Evaluator {
  const left = compileExpr(expr.left, refs);
  const right = compileExpr(expr.right, refs);
  switch (expr.op) {
    case 'and': return (ctx) => toBoolean(left(ctx)) && toBoolean(right(ctx));
    case 'or': return (ctx) => toBoolean(left(ctx)) || toBoolean(right(ctx));
    case '+': return arithmetic(left, right, (a, b) => a + b);
    case '-': return arithmetic(left, right, (a, b) => a - b);
    case '*': return arithmetic(left, right, (a, b) => a * b);
    case '/': return arithmetic(left, right, (a, b) => a / b);
    case '^': return arithmetic(left, right, (a, b) => a ** b);
    default: {
      const op = expr.op;
      const constant = literalValue(expr.right);
      if (constant !== undefined) {
        const against = comparatorAgainst(op, constant);
        return (ctx) => against(left(ctx));
      }
      return (ctx) => compareValues(op, left(ctx), right(ctx));
    }
  }
}

/** Arithmetic with a blank or non-numeric operand is blank, as is a division by zero. */
function arithmetic(left: Evaluator, right: Evaluator, op: (a: number, b: number) => number): Evaluator {
  return (ctx) => {
    const a = toNumber(left(ctx));
    if (a === undefined) return BLANK;
    const b = toNumber(right(ctx));
    return b === undefined ? BLANK : numberOrBlank(op(a, b));
  };
}

function negate(value: Value): Value {
  const number = toNumber(value);
  return number === undefined ? BLANK : -number;
}

function compileCall(name: string, args: readonly Evaluator[]): Evaluator {
  if (name === 'if') {
    const [condition, whenTrue, whenFalse] = args as [Evaluator, Evaluator, Evaluator];
    return (ctx) => (toBoolean(condition(ctx)) ? whenTrue(ctx) : whenFalse(ctx));
  }
  const apply = functionImplementation(name);
  return (ctx) => apply(args.map((arg) => arg(ctx)), ctx);
}

function literalValue(expr: Expr): Value | undefined {
  switch (expr.kind) {
    case 'number': return Number(expr.text);
    case 'string': case 'boolean': return expr.value;
    default: return undefined;
  }
}
