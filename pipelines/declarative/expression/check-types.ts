/**
 * @module declarative/expression/check-types
 * Resolves every field an expression reads against the schema of the records it will see, and checks that
 * operators and functions get values they can use, before anything runs. Evaluation never fails on a wrong
 * type (it yields null), so a typo or a quoted number would otherwise give an empty or wrong result quietly:
 * `elb_status_code >= "500"` is never true. Each problem names both types, and an unknown field gets a
 * "did you mean" from the known names. Also computes the expression's column type (for output schemas).
 */
import type { FieldType } from '../../../core/schema.js';
import type { Expr } from './ast.js';
import { FUNCTIONS, unifyTypes, type ParameterKind } from './functions.js';

/**
 * What a field path refers to: a field (its type, `undefined` when not known before reading), or nothing, with
 * a function that explains why (called only when the problem is reported: a "did you mean" has a cost).
 */
export type FieldRef =
  | { readonly found: true; readonly type: FieldType | undefined }
  | { readonly found: false; readonly explain: () => string };

/** One problem, at a 0-based offset into the expression text. */
export interface TypeProblem {
  readonly message: string;
  readonly position: number;
}

/** The type of a subexpression: a column type, `null` (the literal), or `undefined` (not known before reading). */
type ValueType = FieldType | 'null' | undefined;

type Family = 'number' | 'text' | 'boolean';

/** Timestamps are ISO-8601 text in records, so they compare and match as text. `json` can hold anything. */
function familyOf(type: ValueType): Family | undefined {
  switch (type) {
    case 'int32':
    case 'int64':
    case 'double':
      return 'number';
    case 'string':
    case 'timestamp':
      return 'text';
    case 'boolean':
      return 'boolean';
    default:
      return undefined;
  }
}

function isNumeric(type: ValueType): boolean {
  return familyOf(type) === 'number';
}

function describeType(type: ValueType): string {
  return type === 'null' ? 'null' : (type ?? 'unknown');
}

/** How a subexpression reads in a message: field paths and literals as written, anything else by kind. */
function describeExpr(expr: Expr): string {
  if (expr.kind === 'field') return expr.path.join('.');
  if (expr.kind === 'literal') return JSON.stringify(expr.value);
  if (expr.kind === 'call') return `${expr.name}(...)`;
  return 'the expression';
}

function accepts(kind: ParameterKind, type: ValueType): boolean {
  const family = familyOf(type);
  if (family === undefined || kind === 'any') return true;
  if (kind === 'time') return family === 'text' || family === 'number';
  return family === kind;
}

const KIND_NAMES: Readonly<Record<ParameterKind, string>> = {
  text: 'text (string or timestamp)',
  number: 'a number',
  time: 'a timestamp, ISO text or epoch seconds',
  any: 'any value',
};

class TypeChecker {
  readonly problems: TypeProblem[] = [];

  constructor(private readonly resolve: (path: readonly string[]) => FieldRef) {}

  typeOf(expr: Expr): ValueType {
    switch (expr.kind) {
      case 'literal':
        return expr.value === null
          ? 'null'
          : typeof expr.value === 'string'
            ? 'string'
            : typeof expr.value === 'boolean'
              ? 'boolean'
              : Number.isInteger(expr.value)
                ? 'int64'
                : 'double';
      case 'field': {
        const ref = this.resolve(expr.path);
        if (ref.found) return ref.type;
        this.problem(ref.explain(), expr.position);
        return undefined;
      }
      case 'not':
        this.typeOf(expr.operand);
        return 'boolean';
      case 'negate': {
        const type = this.typeOf(expr.operand);
        if (type !== undefined && type !== 'json' && !isNumeric(type))
          this.problem(`"-" needs a number, but ${describeExpr(expr.operand)} is ${describeType(type)}`, expr.position);
        return type === 'null' ? undefined : type;
      }
      case 'in': {
        const operand = this.typeOf(expr.operand);
        for (const item of expr.list) {
          const type = this.typeOf(item);
          this.checkEquality(operand, type, expr.operand, item, expr.negated ? 'not in' : 'in', expr.position);
        }
        return 'boolean';
      }
      case 'call':
        return this.call(expr);
      case 'binary':
        return this.binary(expr);
    }
  }

  private call(expr: Extract<Expr, { kind: 'call' }>): ValueType {
    const fn = FUNCTIONS[expr.name]!;
    const types = expr.args.map((arg) => this.typeOf(arg));
    let wrong = false;
    types.forEach((type, i) => {
      const kind = fn.params[Math.min(i, fn.params.length - 1)] ?? 'any';
      if (accepts(kind, type)) return;
      wrong = true;
      this.problem(
        `${expr.name}() needs ${KIND_NAMES[kind]} as argument ${i + 1}, but ${describeExpr(expr.args[i]!)} is ${describeType(type)}`,
        expr.args[i]!.position,
      );
    });
    const plain = types.map((type) => (type === 'null' ? undefined : type));
    // if() and coalesce() give one of their arguments: those must fit one column type.
    const alternatives = expr.name === 'if' ? plain.slice(1) : expr.name === 'coalesce' ? plain : [];
    if (unifyTypes(alternatives).conflict) {
      wrong = true;
      this.problem(
        `${expr.name}() gives values of different types (${alternatives.map((type) => type ?? 'null').join(', ')}), and a field holds one type; convert with string(...) or number(...)`,
        expr.position,
      );
    }
    // After a wrong argument the result type means nothing: unknown, so the problem is not reported twice.
    return wrong ? undefined : fn.resultType(plain);
  }

  private binary(expr: Extract<Expr, { kind: 'binary' }>): ValueType {
    const left = this.typeOf(expr.left);
    const right = this.typeOf(expr.right);
    switch (expr.op) {
      case 'and':
      case 'or':
        return 'boolean';
      case '==':
      case '!=':
        this.checkEquality(left, right, expr.left, expr.right, expr.op, expr.position);
        return 'boolean';
      case '<':
      case '<=':
      case '>':
      case '>=':
        this.checkOrdering(left, right, expr);
        return 'boolean';
      case '+':
        if (left === 'string' || right === 'string') return 'string';
        this.checkArithmetic(left, right, expr);
        return this.arithmeticType(left, right, expr.op);
      default:
        this.checkArithmetic(left, right, expr);
        return this.arithmeticType(left, right, expr.op);
    }
  }

  private arithmeticType(left: ValueType, right: ValueType, op: string): ValueType {
    if (!isNumeric(left) || !isNumeric(right)) return op === '+' ? undefined : 'double';
    return op === '/' || left === 'double' || right === 'double' ? 'double' : 'int64';
  }

  private checkEquality(left: ValueType, right: ValueType, leftExpr: Expr, rightExpr: Expr, op: string, position: number): void {
    const a = familyOf(left);
    const b = familyOf(right);
    if (a === undefined || b === undefined || a === b) return;
    const never = op === '==' || op === 'in' ? 'never true' : 'always true';
    this.problem(
      `"${op}" compares ${describeExpr(leftExpr)} (${describeType(left)}) with ${describeExpr(rightExpr)} (${describeType(right)}): values are not converted, so this is ${never}; compare like with like (e.g. write numbers without quotes)`,
      position,
    );
  }

  private checkOrdering(left: ValueType, right: ValueType, expr: Extract<Expr, { kind: 'binary' }>): void {
    if (left === 'null' || right === 'null') {
      this.problem(`"${expr.op}" with null is never true; test for missing values with "== null" or "!= null"`, expr.position);
      return;
    }
    const a = familyOf(left);
    const b = familyOf(right);
    if (a === 'boolean' || b === 'boolean') {
      this.problem(
        `"${expr.op}" cannot order booleans (${describeExpr(a === 'boolean' ? expr.left : expr.right)} is boolean); use "==" or "!="`,
        expr.position,
      );
      return;
    }
    if (a === undefined || b === undefined || a === b) return;
    this.problem(
      `"${expr.op}" compares ${describeExpr(expr.left)} (${describeType(left)}) with ${describeExpr(expr.right)} (${describeType(right)}): values are not converted, so this is never true; compare like with like (e.g. write numbers without quotes)`,
      expr.position,
    );
  }

  private checkArithmetic(left: ValueType, right: ValueType, expr: Extract<Expr, { kind: 'binary' }>): void {
    for (const [type, side] of [
      [left, expr.left],
      [right, expr.right],
    ] as const) {
      if (type === 'null') this.problem(`"${expr.op}" with null always gives null`, expr.position);
      else if (type !== undefined && type !== 'json' && !isNumeric(type)) {
        this.problem(
          `"${expr.op}" needs numbers${expr.op === '+' ? ' (or a string on one side, to join text)' : ''}, but ${describeExpr(side)} is ${describeType(type)}`,
          expr.position,
        );
      }
    }
  }

  private problem(message: string, position: number): void {
    this.problems.push({ message, position });
  }
}

/**
 * The problems of `expr` over records whose fields `resolve` describes, and its column type (`undefined` when
 * it cannot be known before reading).
 * @example checkTypes(parseExpression('code >= "500"'), () => ({ found: true, type: 'int64' })).problems.length // 1
 */
export function checkTypes(
  expr: Expr,
  resolve: (path: readonly string[]) => FieldRef,
): { readonly type: FieldType | undefined; readonly problems: readonly TypeProblem[] } {
  const checker = new TypeChecker(resolve);
  const type = checker.typeOf(expr);
  return { type: type === 'null' ? undefined : type, problems: checker.problems };
}
