/**
 * @module formats/common/fixture-harness
 * Test support for format fixtures: runs a parser over record texts and reduces the outcome to JSON lines that
 * `<behaviour>.expected.jsonl` files hold. A record is written without its null columns (a column missing from
 * an expected line must be null); a rejection is written as `{"rejection": reason}`; skips are not written.
 * @internal
 */
import { Rejection, SKIP, type RecordParser } from '../types.js';

/** One expected line: a record's non-null columns, or a rejection. */
export type FixtureOutput = Record<string, unknown>;

/** What parsing a list of record texts produced. */
export interface FixtureRun {
  readonly outputs: FixtureOutput[];
  readonly records: number;
  readonly rejected: number;
  readonly skipped: number;
}

/** The record without its null-valued columns. */
export function compactRecord(record: object): FixtureOutput {
  const out: FixtureOutput = {};
  for (const [key, value] of Object.entries(record)) if (value !== null && value !== undefined) out[key] = value;
  return out;
}

/** Parses every text (record numbers from 1) and collects compact outputs and counts. */
export function runParser<R extends object>(parser: RecordParser<R>, texts: Iterable<string>): FixtureRun {
  const outputs: FixtureOutput[] = [];
  let records = 0;
  let rejected = 0;
  let skipped = 0;
  let recordNumber = 0;
  for (const text of texts) {
    const result = parser.parse(text, ++recordNumber);
    if (result === SKIP) skipped++;
    else if (result instanceof Rejection) {
      rejected++;
      outputs.push({ rejection: result.reason });
    } else {
      records++;
      outputs.push(compactRecord(result as object));
    }
  }
  return { outputs, records, rejected, skipped };
}

/** Reads an expected `.jsonl` text (blank lines ignored). */
export function readExpectedJsonl(text: string): FixtureOutput[] {
  return text
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as FixtureOutput);
}
