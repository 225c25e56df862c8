import fc from 'fast-check';
import type { FieldType } from '../../../core/schema.js';
import { checkTypes } from './check-types.js';
import { compileTree } from './compile.js';
import { parseExpression } from './parse.js';

/** The fields of the generated records and their declared types. */
const FIELDS: Readonly<Record<string, FieldType>> = { i: 'int64', n: 'int32', d: 'double', s: 'string', b: 'boolean', t: 'timestamp' };

const record = fc.record({
  i: fc.option(fc.integer({ min: -1e6, max: 1e6 }), { nil: null }),
  n: fc.option(fc.integer({ min: -1000, max: 1000 }), { nil: null }),
  d: fc.option(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { nil: null }),
  s: fc.option(fc.string({ maxLength: 6 }), { nil: null }),
  b: fc.option(fc.boolean(), { nil: null }),
  t: fc.option(
    fc.integer({ min: 0, max: 2e9 }).map((seconds) => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z')),
    { nil: null },
  ),
});

/** Expression texts over FIELDS: literals, fields, operators and functions, nested. */
const expression: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('i', 'n', 'd', 's', 'b', 't', '1', '2.5', '"x"', 'true', 'null', '"2024-06-01"'),
    fc
      .tuple(tie('e'), fc.constantFrom('+', '-', '*', '/', '%', '==', '!=', '<', '>=', 'and', 'or'), tie('e'))
      .map(([a, op, b]) => `(${a} ${op} ${b})`),
    tie('e').map((a) => `(not ${a})`),
    tie('e').map((a) => `(-${a})`),
    fc
      .tuple(
        fc.constantFrom('lower', 'upper', 'trim', 'length', 'string', 'number', 'abs', 'floor', 'ceil', 'round', 'year', 'hour', 'date'),
        tie('e'),
      )
      .map(([f, a]) => `${f}(${a})`),
    fc.tuple(fc.constantFrom('coalesce', 'concat', 'contains'), tie('e'), tie('e')).map(([f, a, b]) => `${f}(${a}, ${b})`),
    fc.tuple(tie('e'), tie('e'), tie('e')).map(([c, a, b]) => `if(${c}, ${a}, ${b})`),
  ),
})).e;

function holds(value: unknown, type: FieldType): boolean {
  if (value === null) return true;
  switch (type) {
    case 'int32':
    case 'int64':
      return typeof value === 'number' && Number.isInteger(value);
    case 'double':
      return typeof value === 'number';
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'timestamp':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value));
    case 'json':
      return true;
  }
}

describe('checkTypes', () => {
  it('infers a column type that every value of a checked expression has (or null), over records of the declared types', () => {
    fc.assert(
      fc.property(expression, fc.array(record, { minLength: 1, maxLength: 8 }), (source, records) => {
        const tree = parseExpression(source);
        const checked = checkTypes(tree, (path) =>
          path.length === 1 && Object.hasOwn(FIELDS, path[0]!)
            ? { found: true, type: FIELDS[path[0]!] }
            : { found: false, explain: () => 'unknown' },
        );
        if (checked.problems.length > 0 || checked.type === undefined) return;
        const evaluate = compileTree(tree);
        for (const r of records) {
          const value = evaluate(r);
          expect({ source, record: r, value, type: checked.type, holds: holds(value, checked.type) }).toEqual({
            source,
            record: r,
            value,
            type: checked.type,
            holds: true,
          });
        }
      }),
      { numRuns: 3000 },
    );
  });
});
