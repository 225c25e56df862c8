/**
 * @module cli/pipeline-tests/test-report
 * The readable difference between what a pipeline test expected and what the run wrote: per write step, the
 * expected rows no written row matches (`-`, with the nearest written row and the columns that differ) and the
 * written rows nobody expected (`+`); the same for dead letters.
 */
import type { DeadLetter } from '../../core/dead-letter.js';
import type { ExpectedDeadLetter } from '../../pipelines/declarative/tests-spec.js';
import { matchRows, rowMatches, valuesEqual } from './match-rows.js';

type Row = Readonly<Record<string, unknown>>;

function show(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/** The columns of `expected` that `actual` does not match, as `column: expected X, got Y`. */
function differences(expected: Row, actual: Row): string[] {
  return Object.entries(expected)
    .filter(([column, value]) => !(Object.hasOwn(actual, column) && valuesEqual(value, actual[column])))
    .map(
      ([column, value]) =>
        `${column}: expected ${show(value)}, got ${Object.hasOwn(actual, column) ? show(actual[column]) : '(no such column)'}`,
    );
}

/** Lines describing how `actual` differs from `expected` (none when they match). */
export function diffRows(step: string, expected: readonly Row[], actual: readonly Row[]): string[] {
  const { unmatchedExpected, unmatchedActual } = matchRows(expected, actual, rowMatches);
  if (unmatchedExpected.length === 0 && unmatchedActual.length === 0) return [];
  const lines = [
    `output ${step}: expected ${expected.length} row(s), written ${actual.length}; ${expected.length - unmatchedExpected.length} matched`,
  ];
  const spare = [...unmatchedActual];
  for (const i of unmatchedExpected) {
    const row = expected[i]!;
    lines.push(`  - expected ${show(row)}`);
    // The nearest spare written row: the one that differs in the fewest expected columns.
    let best: { index: number; diff: string[] } | undefined;
    for (const j of spare) {
      const diff = differences(row, actual[j]!);
      if (best === undefined || diff.length < best.diff.length) best = { index: j, diff };
    }
    if (best === undefined) lines.push('      no written row is left to compare with');
    else {
      spare.splice(spare.indexOf(best.index), 1);
      lines.push(`      nearest written row differs in ${best.diff.join('; ')}`);
      lines.push(`      that row: ${show(actual[best.index])}`);
    }
  }
  for (const j of spare) lines.push(`  + written but not expected: ${show(actual[j])}`);
  return lines;
}

function letterMatches(expected: ExpectedDeadLetter, actual: DeadLetter): boolean {
  return (
    actual.reason.includes(expected.reason) &&
    (expected.line === undefined || expected.line === actual.line) &&
    (expected.step === undefined || expected.step === actual.step)
  );
}

function describeLetter(letter: DeadLetter): string {
  return `line ${letter.line ?? '?'} (step ${letter.step}): ${letter.reason}; raw ${show(letter.raw.length > 120 ? `${letter.raw.slice(0, 117)}...` : letter.raw)}`;
}

/** Lines describing how the dead letters differ from the expected ones (none when they match). */
export function diffDeadLetters(expected: readonly ExpectedDeadLetter[], actual: readonly DeadLetter[]): string[] {
  const { unmatchedExpected, unmatchedActual } = matchRows(expected, actual, letterMatches);
  if (unmatchedExpected.length === 0 && unmatchedActual.length === 0) return [];
  const lines = [`dead letters: expected ${expected.length}, got ${actual.length}`];
  for (const i of unmatchedExpected) lines.push(`  - expected a dead letter ${show(expected[i])} (reason is a substring)`);
  for (const j of unmatchedActual) lines.push(`  + not expected: ${describeLetter(actual[j]!)}`);
  return lines;
}
