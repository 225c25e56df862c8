/**
 * @module declarative/expression/compile
 * Turns an expression tree into a plain function over records, resolved once (field paths split, functions
 * looked up), so evaluating per record allocates nothing beyond the call's arguments. Evaluation never throws:
 * a missing field is `null`, and an operator or function given the wrong types yields `null`.
 *
 * Semantics: `==`/`!=` compare without coercion (`1 == "1"` is false); `< <= > >=` compare two numbers or two
 * strings, else `null`; `+` adds numbers or joins when either side is a string; `- * / %` need numbers
 * (division by zero gives `null`); `and`/`or`/`not` use truthiness (`null`, `false`, `0` and `""` are false).
 */
import type { Expr } from './ast.js';
import { FUNCTIONS } from './functions.js';
import { parseExpression } from './parse.js';

/** A compiled expression: the value for one record. */
export type Evaluator = (record: unknown) => unknown;

/** The truthiness rule filters use. */
export function isTruthy(value: unknown): boolean {
  return value !== null && value !== undefined && value !== false && value !== 0 && value !== '' && !Number.isNaN(value);
}

function lookup(record: unknown, path: readonly string[]): unknown {
  let value = record;
  for (let i = 0; i < path.length; i++) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, path[i]!)) return null;
    value = (value as Record<string, unknown>)[path[i]!];
  }
  return value === undefined ? null : value;
}

function compare(left: unknown, right: unknown): number | null {
  if (typeof left === 'number' && typeof right === 'number') return left - right;
  if (typeof left === 'string' && typeof right === 'string') return left < right ? -1 : left > right ? 1 : 0;
  return null;
}

function arithmetic(op: string, left: unknown, right: unknown): unknown {
  if (left === null || right === null || left === undefined || right === undefined) return null;
  if (op === '+' && (typeof left === 'string' || typeof right === 'string')) return `${String(left)}${String(right)}`;
  if (typeof left !== 'number' || typeof right !== 'number') return null;
  switch (op) {
    case '+':
      return left + right;
    case '-':
      return left - right;
    case '*':
      return left * right;
    case '/':
      return right === 0 ? null : left / right;
    default:
      return right === 0 ? null : left % right;
  }
}

/** Compiles a parsed tree. */
export function compileTree(expr: Expr): Evaluator {
  switch (expr.kind) {
    case 'literal': {
      const value = expr.value;
      return () => value;
    }
    case 'field': {
      const path = expr.path;
      if (path.length === 1) {
        const name = path[0]!;
        return (record) =>
          typeof record === 'object' && record !== null && Object.hasOwn(record, name)
            ? ((record as Record<string, unknown>)[name] ?? null)
            : null;
      }
      return (record) => lookup(record, path);
    }
    case 'not': {
      const operand = compileTree(expr.operand);
      return (record) => !isTruthy(operand(record));
    }
    case 'negate': {
      const operand = compileTree(expr.operand);
      return (record) => {
        const value = operand(record);
        return typeof value === 'number' ? -value : null;
      };
    }
    case 'in': {
      const operand = compileTree(expr.operand);
      const items = expr.list.map(compileTree);
      const negated = expr.negated;
      return (record) => {
        const value = operand(record);
        for (let i = 0; i < items.length; i++) if (items[i]!(record) === value) return !negated;
        return negated;
      };
    }
    case 'call': {
      const fn = FUNCTIONS[expr.name]!;
      const args = expr.args.map(compileTree);
      return (record) => {
        const values = new Array<unknown>(args.length);
        for (let i = 0; i < args.length; i++) values[i] = args[i]!(record);
        return fn.call(values);
      };
    }
    case 'binary': {
      const left = compileTree(expr.left);
      const right = compileTree(expr.right);
      switch (expr.op) {
        case 'and':
          return (record) => isTruthy(left(record)) && isTruthy(right(record));
        case 'or':
          return (record) => isTruthy(left(record)) || isTruthy(right(record));
        case '==':
          return (record) => left(record) === right(record);
        case '!=':
          return (record) => left(record) !== right(record);
        case '<':
        case '<=':
        case '>':
        case '>=': {
          const op = expr.op;
          return (record) => {
            const order = compare(left(record), right(record));
            if (order === null) return null;
            return op === '<' ? order < 0 : op === '<=' ? order <= 0 : op === '>' ? order > 0 : order >= 0;
          };
        }
        default: {
          const op = expr.op;
          return (record) => arithmetic(op, left(record), right(record));
        }
      }
    }
  }
}

/**
 * Parses and compiles an expression. Throws `ExpressionError` for bad syntax; the result never throws.
 * @example compileExpression('bytes / 1024 > 1')({ bytes: 4096 }) // true
 */
export function compileExpression(source: string): Evaluator {
  return compileTree(parseExpression(source));
}
