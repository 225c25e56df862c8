import fc from 'fast-check';
import { ExpressionError } from './ast.js';
import { compileExpression } from './compile.js';
import { parseExpression } from './parse.js';

const record = {
  status: 503,
  method: 'GET',
  host: 'API.example.com',
  bytes: 4096,
  ts: '2024-06-01T13:45:00.000000Z',
  user: { name: 'ana', tags: null },
  empty: null,
};

describe('compileExpression', () => {
  it.each([
    ['status >= 500', true],
    ['status >= 500 and method == "POST"', false],
    ['status == 404 or method == "GET"', true],
    ['not (status < 500)', true],
    ['!(status < 500)', true],
    ['bytes / 1024 + 1', 5],
    ['bytes % 1000 * 2', 192],
    ['-bytes + 1', -4095],
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['lower(host)', 'api.example.com'],
    ['startsWith(lower(host), "api.")', true],
    ['method in ["GET", "HEAD"]', true],
    ['status not in [500, 503]', false],
    ['user.name', 'ana'],
    ['user.missing.deeper', null],
    ['coalesce(empty, user.tags, "none")', 'none'],
    ['hour(ts)', 13],
    ['date(ts)', '2024-06-01'],
    ['"a" + 1', 'a1'],
    ['bytes / 0', null],
    ['method > 3', null],
    ['concat(method, " ", status)', 'GET 503'],
    ["'it\\'s'", "it's"],
    ['`status` == 503', true],
    ['1_000 + 0.5', 1000.5],
    ['number("12") + 1', 13],
    ['substr(host, 0, 3)', 'API'],
  ])('evaluates %s to %p', (source, expected) => {
    expect(compileExpression(source)(record)).toEqual(expected);
  });

  it('does not read inherited properties such as constructor or __proto__', () => {
    expect(compileExpression('constructor')(record)).toBeNull();
    expect(compileExpression('user.__proto__')(record)).toBeNull();
  });

  it('gives null rather than throwing for records that are not objects', () => {
    expect(compileExpression('a.b + 1')(null)).toBeNull();
    expect(compileExpression('lower(a)')(42)).toBeNull();
  });
});

describe('parseExpression', () => {
  it.each([
    ['', 'empty expression'],
    ['status >=', 'ends too early'],
    ['a == 1 == 2', 'cannot be chained'],
    ['"open', 'unterminated string'],
    ['nosuch(1)', 'unknown function "nosuch"'],
    ['lower(1, 2)', 'takes 1 argument'],
    ['a in 1', 'expected "["'],
    ['a # b', 'unexpected character'],
    ['(a', 'to close "("'],
    ['a b', 'after a complete expression'],
  ])('rejects %p with a message containing %p', (source, message) => {
    expect(() => parseExpression(source)).toThrow(ExpressionError);
    expect(() => parseExpression(source)).toThrow(message);
  });

  it('reports the column of the offending token', () => {
    try {
      parseExpression('a > )');
      throw new Error('expected a parse error');
    } catch (error) {
      expect(error).toBeInstanceOf(ExpressionError);
      expect((error as ExpressionError).position).toBe(4);
      expect((error as ExpressionError).message).toContain('column 5');
    }
  });

  it('throws nothing but ExpressionError for any input text', () => {
    const alphabet = fc.constantFrom(...'ab01 .,()[]"\'`\\<>=!&|+-*/%_eEnotrudlsi'.split(''), 'and', 'or', 'not', 'in', 'lower(', 'null');
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.array(alphabet, { maxLength: 30 }).map((parts) => parts.join('')),
        ),
        (source) => {
          try {
            const evaluate = compileExpression(source);
            evaluate(record);
            evaluate({});
          } catch (error) {
            if (!(error instanceof ExpressionError)) throw error;
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('refuses absurdly deep nesting with a typed error instead of overflowing the stack', () => {
    expect(() => parseExpression(`${'('.repeat(5000)}1${')'.repeat(5000)}`)).toThrow(ExpressionError);
  });
});
