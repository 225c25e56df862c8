/**
 * @module declarative/expression/infer-type
 * The column type an expression produces, from the types of the fields it reads, so declarative pipelines
 * can declare output schemas (sinks never guess types from values). The rules are those of `checkTypes`.
 */
import type { FieldType } from '../../../core/schema.js';
import type { Expr } from './ast.js';
import { checkTypes } from './check-types.js';

/**
 * The expression's column type, or `undefined` when it cannot be known (callers fall back to `json`).
 * `fieldType` gives the type of a field path, or `undefined` when unknown.
 * @example inferType(parseExpression('bytes * 2'), () => 'int64') // 'int64'
 */
export function inferType(expr: Expr, fieldType: (path: readonly string[]) => FieldType | undefined): FieldType | undefined {
  return checkTypes(expr, (path) => ({ found: true, type: fieldType(path) })).type;
}
