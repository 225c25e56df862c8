/**
 * @module declarative/expression/infer-type
 * The column type an expression produces, from the types of the fields it reads, so declarative pipelines
 * can declare output schemas (sinks never guess types from values).
 */
import type { FieldType } from '../../../core/schema.js';
import type { Expr } from './ast.js';
import { FUNCTIONS } from './functions.js';

const NUMERIC = new Set<FieldType>(['int32', 'int64', 'double']);

/**
 * The expression's column type, or `undefined` when it cannot be known (callers fall back to `json`).
 * `fieldType` gives the type of a top-level field path, or `undefined` when unknown.
 * @example inferType(parseExpression('bytes * 2'), () => 'int64') // 'int64'
 */
export function inferType(expr: Expr, fieldType: (path: readonly string[]) => FieldType | undefined): FieldType | undefined {
  switch (expr.kind) {
    case 'literal':
      return typeof expr.value === 'string' ? 'string' : typeof expr.value === 'boolean' ? 'boolean' : typeof expr.value === 'number' ? (Number.isInteger(expr.value) ? 'int64' : 'double') : undefined;
    case 'field':
      return fieldType(expr.path);
    case 'not':
    case 'in':
      return 'boolean';
    case 'negate':
      return inferType(expr.operand, fieldType);
    case 'call':
      return FUNCTIONS[expr.name]!.resultType(expr.args.map((arg) => inferType(arg, fieldType)));
    case 'binary': {
      if (expr.op === 'and' || expr.op === 'or' || expr.op === '==' || expr.op === '!=' || expr.op === '<' || expr.op === '<=' || expr.op === '>' || expr.op === '>=') return 'boolean';
      const left = inferType(expr.left, fieldType);
      const right = inferType(expr.right, fieldType);
      if (expr.op === '+' && (left === 'string' || right === 'string')) return 'string';
      if (left === undefined || right === undefined || !NUMERIC.has(left) || !NUMERIC.has(right)) return expr.op === '+' ? undefined : 'double';
      if (expr.op === '/' || left === 'double' || right === 'double') return 'double';
      return left === 'int64' || right === 'int64' ? 'int64' : 'int64';
    }
  }
}
