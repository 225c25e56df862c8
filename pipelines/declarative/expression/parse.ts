/**
 * @module declarative/expression/parse
 * A Pratt parser for the expression language. Precedence, loosest first: `or`/`||`; `and`/`&&`;
 * `not`/`!` (prefix); comparisons and `[not] in [...]` (non-associative); `+ -`; `* / %`; unary `-`; then
 * primaries: literals, field paths (`a.b.c`), calls (`lower(host)`) and parentheses.
 */
import { ExpressionError, type BinaryOperator, type Expr } from './ast.js';
import { FUNCTIONS } from './functions.js';
import { tokenize, type Token } from './tokenize.js';

const BINARY: Readonly<Record<string, { op: BinaryOperator; power: number }>> = {
  or: { op: 'or', power: 1 },
  '||': { op: 'or', power: 1 },
  and: { op: 'and', power: 2 },
  '&&': { op: 'and', power: 2 },
  '==': { op: '==', power: 4 },
  '!=': { op: '!=', power: 4 },
  '<': { op: '<', power: 4 },
  '<=': { op: '<=', power: 4 },
  '>': { op: '>', power: 4 },
  '>=': { op: '>=', power: 4 },
  '+': { op: '+', power: 5 },
  '-': { op: '-', power: 5 },
  '*': { op: '*', power: 6 },
  '/': { op: '/', power: 6 },
  '%': { op: '%', power: 6 },
};
const NOT_POWER = 3;
const COMPARISON_POWER = 4;
const NEGATE_POWER = 7;
/** Deeper nesting (parentheses, prefix operators) than this is refused rather than risking a stack overflow. */
const MAX_DEPTH = 200;
/**
 * The longest expression accepted, in characters. Expressions are one line of a pipeline file; a limit keeps a
 * runaway value (a generated file, a pasted log) from costing memory and time before it is refused.
 */
export const MAX_EXPRESSION_LENGTH = 65_536;
/** The deepest tree accepted: chains such as `a or b or c ...` nest one level per operator. */
export const MAX_TREE_DEPTH = 1_000;

class Parser {
  private index = 0;
  private depth = 0;
  constructor(
    private readonly source: string,
    private readonly tokens: readonly Token[],
  ) {}

  parseAll(): Expr {
    if (this.peek().kind === 'end') throw this.error('empty expression', this.peek());
    const expr = this.expression(0);
    const next = this.peek();
    if (next.kind !== 'end') throw this.error(`unexpected ${describe(next)} after a complete expression`, next);
    return expr;
  }

  private expression(minPower: number): Expr {
    if (++this.depth > MAX_DEPTH) throw this.error(`expression nested deeper than ${MAX_DEPTH} levels`, this.peek());
    let left = this.prefix();
    for (;;) {
      const token = this.peek();
      const isNotIn = token.text === 'not' && token.kind === 'keyword' && this.tokens[this.index + 1]?.text === 'in';
      if ((token.kind === 'keyword' && token.text === 'in') || isNotIn) {
        if (COMPARISON_POWER <= minPower) break;
        this.index += isNotIn ? 2 : 1;
        left = { kind: 'in', operand: left, list: this.list(), negated: isNotIn, position: token.position };
        this.rejectChainedComparison();
        continue;
      }
      const binary = token.kind === 'operator' || token.kind === 'keyword' ? BINARY[token.text] : undefined;
      if (binary === undefined || binary.power <= minPower) break;
      this.index++;
      const right = this.expression(binary.power);
      left = { kind: 'binary', op: binary.op, left, right, position: token.position };
      if (binary.power === COMPARISON_POWER) this.rejectChainedComparison();
    }
    this.depth--;
    return left;
  }

  private rejectChainedComparison(): void {
    const next = this.peek();
    if (BINARY[next.text]?.power === COMPARISON_POWER || (next.kind === 'keyword' && next.text === 'in')) {
      throw this.error(`comparisons cannot be chained; combine them with "and"`, next);
    }
  }

  private prefix(): Expr {
    const token = this.next();
    switch (token.kind) {
      case 'number':
        return { kind: 'literal', value: Number(token.text), position: token.position };
      case 'string':
        return { kind: 'literal', value: token.text, position: token.position };
      case 'keyword':
        if (token.text === 'true' || token.text === 'false')
          return { kind: 'literal', value: token.text === 'true', position: token.position };
        if (token.text === 'null') return { kind: 'literal', value: null, position: token.position };
        if (token.text === 'not') return { kind: 'not', operand: this.expression(NOT_POWER - 1), position: token.position };
        throw this.error(`"${token.text}" needs a value on its left`, token);
      case 'identifier':
        return this.peek().text === '(' && this.peek().kind === 'operator' ? this.call(token) : this.fieldPath(token);
      case 'operator':
        if (token.text === '(') {
          const inner = this.expression(0);
          this.expect(')', 'to close "("');
          return inner;
        }
        if (token.text === '-') return { kind: 'negate', operand: this.expression(NEGATE_POWER - 1), position: token.position };
        if (token.text === '!') return { kind: 'not', operand: this.expression(NOT_POWER - 1), position: token.position };
        throw this.error(`unexpected ${describe(token)}`, token);
      case 'end':
        throw this.error('the expression ends too early', token);
    }
  }

  private fieldPath(first: Token): Expr {
    const path = [first.text];
    while (this.peek().kind === 'operator' && this.peek().text === '.') {
      this.index++;
      const part = this.next();
      if (part.kind !== 'identifier' && part.kind !== 'keyword')
        throw this.error(`expected a field name after ".", got ${describe(part)}`, part);
      path.push(part.text);
    }
    return { kind: 'field', path, position: first.position };
  }

  private call(name: Token): Expr {
    const fn = FUNCTIONS[name.text];
    if (fn === undefined || !Object.hasOwn(FUNCTIONS, name.text)) {
      throw this.error(`unknown function "${name.text}" (known: ${Object.keys(FUNCTIONS).sort().join(', ')})`, name);
    }
    this.index++;
    const args: Expr[] = [];
    if (!(this.peek().kind === 'operator' && this.peek().text === ')')) {
      do args.push(this.expression(0));
      while (this.accept(','));
    }
    this.expect(')', `to close the call to ${name.text}(`);
    if (args.length < fn.minArgs || args.length > fn.maxArgs) {
      const expected =
        fn.minArgs === fn.maxArgs ? `${fn.minArgs}` : fn.maxArgs === Infinity ? `at least ${fn.minArgs}` : `${fn.minArgs} to ${fn.maxArgs}`;
      throw this.error(`${name.text}() takes ${expected} argument(s), got ${args.length}`, name);
    }
    return { kind: 'call', name: name.text, args, position: name.position };
  }

  private list(): Expr[] {
    this.expect('[', 'after "in" (write: x in [1, 2])');
    const items: Expr[] = [];
    if (!this.accept(']')) {
      do items.push(this.expression(0));
      while (this.accept(','));
      this.expect(']', 'to close the list');
    }
    return items;
  }

  private accept(text: string): boolean {
    const token = this.peek();
    if (token.kind === 'operator' && token.text === text) {
      this.index++;
      return true;
    }
    return false;
  }

  private expect(text: string, why: string): void {
    if (!this.accept(text)) throw this.error(`expected "${text}" ${why}, got ${describe(this.peek())}`, this.peek());
  }

  private peek(): Token {
    return this.tokens[this.index]!;
  }

  private next(): Token {
    const token = this.tokens[this.index]!;
    if (token.kind !== 'end') this.index++;
    return token;
  }

  private error(problem: string, token: Token): ExpressionError {
    return new ExpressionError(problem, this.source, token.position);
  }
}

function describe(token: Token): string {
  if (token.kind === 'end') return 'the end of the expression';
  if (token.kind === 'string') return `the string ${JSON.stringify(token.text)}`;
  return `"${token.text}"`;
}

/**
 * Parses an expression into its tree. Throws only `ExpressionError`, naming the problem and its column.
 * @example parseExpression('status >= 500 and lower(method) in ["get"]').kind // 'binary'
 */
export function parseExpression(source: string): Expr {
  if (typeof source !== 'string') throw new ExpressionError(`an expression must be a string, got ${typeof source}`, String(source), 0);
  if (source.length > MAX_EXPRESSION_LENGTH) {
    throw new ExpressionError(
      `the expression is ${source.length} characters long; the limit is ${MAX_EXPRESSION_LENGTH} (split it into several steps, or use "in [...]" for long lists)`,
      `${source.slice(0, 40)}...`,
      0,
    );
  }
  const tree = new Parser(source, tokenize(source)).parseAll();
  const depth = treeDepth(tree);
  if (depth > MAX_TREE_DEPTH)
    throw new ExpressionError(
      `the expression nests ${depth} levels deep; the limit is ${MAX_TREE_DEPTH} (a chain "a or b or c ..." counts one level per operator: use "x in [...]" or split the step)`,
      source.length > 80 ? `${source.slice(0, 77)}...` : source,
      0,
    );
  return tree;
}

/** The direct subexpressions of `expr`. */
export function childrenOf(expr: Expr): readonly Expr[] {
  switch (expr.kind) {
    case 'literal':
    case 'field':
      return [];
    case 'not':
    case 'negate':
      return [expr.operand];
    case 'binary':
      return [expr.left, expr.right];
    case 'in':
      return [expr.operand, ...expr.list];
    case 'call':
      return expr.args;
  }
}

/** Levels in the tree, counted without recursion (the tree may be too deep to walk recursively). */
function treeDepth(root: Expr): number {
  let deepest = 0;
  const stack: Array<readonly [Expr, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > deepest) deepest = depth;
    for (const child of childrenOf(node)) stack.push([child, depth + 1]);
  }
  return deepest;
}
