/**
 * Prints a syntax tree as canonical logic text: lower-case function names and operators, single
 * quotes where possible, and parentheses only where precedence needs them. Parsing the output
 * gives back the same tree (the round-trip property in the tests).
 */
import type { BinaryOp, Expr, FieldNode } from './ast.js';

const PRECEDENCE: Readonly<Record<BinaryOp, number>> = {
  or: 1, and: 2, '=': 3, '<>': 3, '<': 3, '<=': 3, '>': 3, '>=': 3, '+': 4, '-': 4, '*': 5, '/': 5, '^': 7,
};
const UNARY_PRECEDENCE = 6;
const ATOM = 8;

export function printLogic(expr: Expr): string {
  switch (expr.kind) {
    case 'number': return expr.text;
    case 'string': return quote(expr.value);
    case 'boolean': return String(expr.value);
    case 'field': return printField(expr);
    case 'smart': return `[${expr.name}]`;
    case 'unary': return `-${wrap(expr.operand, UNARY_PRECEDENCE)}`;
    case 'call': return `${expr.name}(${expr.args.map(printLogic).join(', ')})`;
    case 'binary': {
      const precedence = PRECEDENCE[expr.op];
      // Left-associative operators need parentheses on a right child of equal precedence; `^` the other way.
      const rightAssociative = expr.op === '^';
      const left = wrap(expr.left, rightAssociative ? precedence + 1 : precedence);
      const right = wrap(expr.right, rightAssociative ? precedence : precedence + 1);
      return `${left} ${expr.op} ${right}`;
    }
  }
}

function wrap(expr: Expr, minimum: number): string {
  const text = printLogic(expr);
  return precedenceOf(expr) < minimum ? `(${text})` : text;
}

function precedenceOf(expr: Expr): number {
  if (expr.kind === 'binary') return PRECEDENCE[expr.op];
  if (expr.kind === 'unary') return UNARY_PRECEDENCE;
  return ATOM;
}

function printField(node: FieldNode): string {
  const event = node.event === undefined ? '' : `[${node.event}]`;
  const code = node.code === undefined ? '' : `(${node.code})`;
  const modifier = node.modifier === undefined ? '' : `:${node.modifier}`;
  const instance = node.instance === undefined ? '' : `[${node.instance}]`;
  return `${event}[${node.name}${code}${modifier}]${instance}`;
}

function quote(value: string): string {
  return value.includes("'") ? `"${value}"` : `'${value}'`;
}
