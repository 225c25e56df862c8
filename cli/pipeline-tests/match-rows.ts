/**
 * @module cli/pipeline-tests/match-rows
 * Compares the rows a write step wrote with the rows a test expects: in any order, each expected row lists the
 * columns it checks and must match a different written row, and no written row may be left over. Finds a
 * maximum matching (augmenting paths), so a row that could match several does not steal another's partner.
 */

const NUMERIC_TEXT = /^-?\d+(\.\d+)?$/;

/**
 * Whether an expected value equals a written one: numbers within 1e-9 (relative), a number and its decimal
 * text (big integers, partition folder values such as `07`) alike, lists and objects deeply.
 */
export function valuesEqual(expected: unknown, actual: unknown): boolean {
  if (typeof expected === 'number' && typeof actual === 'number')
    return expected === actual || Math.abs(expected - actual) <= 1e-9 * Math.max(1, Math.abs(expected), Math.abs(actual));
  // Partition folder values are text to DuckDB or numbers, depending on the values (`07` stays text): compare by value.
  if (typeof expected === 'number' && typeof actual === 'string') return NUMERIC_TEXT.test(actual) && valuesEqual(expected, Number(actual));
  if (typeof expected === 'string' && typeof actual === 'number')
    return NUMERIC_TEXT.test(expected) && valuesEqual(Number(expected), actual);
  if (Array.isArray(expected))
    return Array.isArray(actual) && actual.length === expected.length && expected.every((value, i) => valuesEqual(value, actual[i]));
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    return (
      Object.keys(e).length === Object.keys(a).length && Object.keys(e).every((key) => Object.hasOwn(a, key) && valuesEqual(e[key], a[key]))
    );
  }
  return expected === actual;
}

/** Whether `actual` holds every column of `expected` with an equal value. */
export function rowMatches(expected: Readonly<Record<string, unknown>>, actual: Readonly<Record<string, unknown>>): boolean {
  return Object.entries(expected).every(([column, value]) => Object.hasOwn(actual, column) && valuesEqual(value, actual[column]));
}

/** The outcome: which expected rows and which written rows found no partner. */
export interface RowMatch {
  readonly unmatchedExpected: readonly number[];
  readonly unmatchedActual: readonly number[];
}

/** A maximum matching between expected and written rows under `matches`. */
export function matchRows<E, A>(expected: readonly E[], actual: readonly A[], matches: (e: E, a: A) => boolean): RowMatch {
  const candidates = expected.map((row) => actual.flatMap((other, j) => (matches(row, other) ? [j] : [])));
  const partnerOf = new Array<number>(actual.length).fill(-1);
  const augment = (i: number, seen: boolean[]): boolean => {
    for (const j of candidates[i]!) {
      if (seen[j]) continue;
      seen[j] = true;
      if (partnerOf[j] === -1 || augment(partnerOf[j]!, seen)) {
        partnerOf[j] = i;
        return true;
      }
    }
    return false;
  };
  for (let i = 0; i < expected.length; i++) augment(i, new Array<boolean>(actual.length).fill(false));
  // An augmenting path re-routes earlier rows but never unmatches one: the final assignment is in partnerOf.
  const matched = new Set(partnerOf.filter((i) => i !== -1));
  return {
    unmatchedExpected: expected.map((_, i) => i).filter((i) => !matched.has(i)),
    unmatchedActual: actual.map((_, j) => j).filter((j) => partnerOf[j] === -1),
  };
}
