/**
 * @module formats/common/testing/fixture-cases
 * Test helper (not for production code): loads a format's fixtures, `fixtures/<behaviour>.txt` with one
 * input line per line and `fixtures/<behaviour>.expected.jsonl` with one expected outcome per input line:
 * the record as JSON, `{"$skip": true}` or `{"$rejected": "<reason>"}`. Fixtures are `.txt`, not `.log`,
 * because the repository ignores `*.log`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rejection, SKIP, type ParseResult } from '../../types.js';

/** One fixture file: its behaviour name, input lines and expected outcomes. */
export interface FixtureCase {
  readonly name: string;
  readonly lines: readonly string[];
  readonly expected: readonly unknown[];
}

function readLines(path: string): string[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The fixture cases in `directory` (sorted by name). */
export function loadFixtureCases(directory: string): FixtureCase[] {
  return readdirSync(directory)
    .filter((file) => file.endsWith('.txt'))
    .sort()
    .map((file) => {
      const name = file.slice(0, -'.txt'.length);
      return {
        name,
        lines: readLines(join(directory, file)),
        expected: readLines(join(directory, `${name}.expected.jsonl`)).map((line) => JSON.parse(line) as unknown),
      };
    });
}

/** A parse result in the fixtures' JSON form. */
export function outcomeOf(result: ParseResult<object>): unknown {
  if (result === SKIP) return { $skip: true };
  if (result instanceof Rejection) return { $rejected: result.reason };
  return JSON.parse(JSON.stringify(result)) as unknown;
}
