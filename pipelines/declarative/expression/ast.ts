/**
 * @module declarative/expression/ast
 * The syntax tree of the declarative pipelines' expression language, and its one error type. Positions are
 * 0-based character offsets into the expression text.
 */

/** A binary operator of the language. */
export type BinaryOperator = 'or' | 'and' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '%';

/** One node of an expression tree. `position` is where the node's token starts (its operator for operators). */
export type Expr =
  | { readonly kind: 'literal'; readonly value: string | number | boolean | null; readonly position: number }
  | { readonly kind: 'field'; readonly path: readonly string[]; readonly position: number }
  | { readonly kind: 'not'; readonly operand: Expr; readonly position: number }
  | { readonly kind: 'negate'; readonly operand: Expr; readonly position: number }
  | { readonly kind: 'binary'; readonly op: BinaryOperator; readonly left: Expr; readonly right: Expr; readonly position: number }
  | { readonly kind: 'in'; readonly operand: Expr; readonly list: readonly Expr[]; readonly negated: boolean; readonly position: number }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly Expr[]; readonly position: number };

/**
 * The only error the tokenizer, parser and compiler throw: says what is wrong and where.
 * @example new ExpressionError('unexpected ")"', 'a > )', 4).message // 'unexpected ")" at column 5 of "a > )"'
 */
export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
  constructor(
    /** What is wrong, without the position. */
    readonly problem: string,
    /** The whole expression text. */
    readonly source: string,
    /** 0-based offset of the offending token. */
    readonly position: number,
  ) {
    super(`${problem} at column ${position + 1} of ${JSON.stringify(source)}`);
  }
}
