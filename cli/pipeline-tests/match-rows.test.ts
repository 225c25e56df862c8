import fc from 'fast-check';
import { matchRows, rowMatches, valuesEqual } from './match-rows.js';

describe('matching expected rows with written rows', () => {
  it('finds a full matching where taking the first candidate would not', () => {
    const expected = [{ a: 1 }, { a: 1, b: 2 }];
    const actual = [
      { a: 1, b: 2 },
      { a: 1, b: 3 },
    ];
    expect(matchRows(expected, actual, rowMatches)).toEqual({ unmatchedExpected: [], unmatchedActual: [] });
  });

  it('leaves as many rows unmatched on each side as a brute-force search over assignments does', () => {
    const row = fc.record({ a: fc.integer({ min: 0, max: 2 }), b: fc.integer({ min: 0, max: 2 }) }, { requiredKeys: [] });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 5 }), fc.array(row, { maxLength: 5 }), (expected, actual) => {
        const best = (i: number, used: ReadonlySet<number>): number =>
          i === expected.length
            ? 0
            : Math.max(
                best(i + 1, used),
                ...actual.map((other, j) => (!used.has(j) && rowMatches(expected[i]!, other) ? 1 + best(i + 1, new Set([...used, j])) : 0)),
              );
        const size = best(0, new Set());
        const result = matchRows(expected, actual, rowMatches);
        expect(result.unmatchedExpected).toHaveLength(expected.length - size);
        expect(result.unmatchedActual).toHaveLength(actual.length - size);
      }),
    );
  });

  it('compares numbers within 1e-9, numbers with their decimal text, and lists and objects deeply', () => {
    expect(valuesEqual(0.1 + 0.2, 0.3)).toBe(true);
    expect(valuesEqual(1, 1.001)).toBe(false);
    expect(valuesEqual('07', 7)).toBe(true);
    expect(valuesEqual(2018, '2018')).toBe(true);
    expect(valuesEqual('x7', 7)).toBe(false);
    expect(valuesEqual(null, 0)).toBe(false);
    expect(valuesEqual([1, { a: 'b' }], [1, { a: 'b' }])).toBe(true);
    expect(valuesEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
  });
});
