/**
 * The syntax tree of one REDCap logic expression. Every node keeps the 0-based offset where it
 * starts in the source text, so diagnostics can point a study coordinator at the exact character.
 */

export type ComparisonOp = '=' | '<>' | '<' | '<=' | '>' | '>=';
export type ArithmeticOp = '+' | '-' | '*' | '/' | '^';
export type LogicalOp = 'and' | 'or';
export type BinaryOp = ComparisonOp | ArithmeticOp | LogicalOp;

/** `[field][n]` or `[field][previous-instance]` and friends. */
export type InstanceRef = number | 'current-instance' | 'previous-instance' | 'next-instance' | 'first-instance' | 'last-instance';

export interface NumberNode { kind: 'number'; text: string; pos: number }
export interface StringNode { kind: 'string'; value: string; pos: number }
export interface BooleanNode { kind: 'boolean'; value: boolean; pos: number }
export interface FieldNode {
  kind: 'field';
  name: string;
  event?: string;
  code?: string;
  /** A piping modifier written in logic (`[x:value]`), lower-cased; logic always reads the raw value. */
  modifier?: string;
  instance?: InstanceRef;
  pos: number;
}
export interface SmartNode { kind: 'smart'; name: string; pos: number }
export interface UnaryNode { kind: 'unary'; op: '-'; operand: Expr; pos: number }
export interface BinaryNode { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; pos: number }
export interface CallNode { kind: 'call'; name: string; args: Expr[]; pos: number }

export type Expr = NumberNode | StringNode | BooleanNode | FieldNode | SmartNode | UnaryNode | BinaryNode | CallNode;

export const INSTANCE_SMART_VARIABLES = [
  'current-instance', 'previous-instance', 'next-instance', 'first-instance', 'last-instance',
] as const;

export function isInstanceSmartVariable(name: string): name is Exclude<InstanceRef, number> {
  return (INSTANCE_SMART_VARIABLES as readonly string[]).includes(name);
}

/** Calls `visit` on every node, parents before children. */
export function walk(expr: Expr, visit: (node: Expr) => void): void {
  visit(expr);
  switch (expr.kind) {
    case 'unary': walk(expr.operand, visit); break;
    case 'binary': walk(expr.left, visit); walk(expr.right, visit); break;
    case 'call': for (const arg of expr.args) walk(arg, visit); break;
    default: break;
  }
}

/** The field references of an expression, in source order. */
export function fieldReferences(expr: Expr): FieldNode[] {
  const found: FieldNode[] = [];
  walk(expr, (node) => { if (node.kind === 'field') found.push(node); });
  return found;
}
