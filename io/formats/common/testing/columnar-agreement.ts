/**
 * @module formats/common/testing/columnar-agreement
 * Checks that a format's columnar parser treats the lines of a file exactly as its record parser does (test
 * helper, not production code): skipped, rejected for the same reason, left to the record path, or appended
 * with the record's values. Both parsers see every line in order, so header lines that change the layout
 * (VPC flow's header, CloudFront's `#Fields`) are covered.
 */
import { expect } from '@jest/globals';
import { ColumnBatchBuilder } from '../../../../core/column-batch-builder.js';
import { isoToMicros } from '../../../../core/time.js';
import { NEEDS_RECORD, Rejection, SKIP, type ColumnarParser, type LogFormat, type RecordParser } from '../../types.js';

/** `true` when every character of `text` is ASCII (the columnar path takes ASCII lines only). */
export function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 128) return false;
  return true;
}

/** What the columnar parser did with each line: `appended` rows, `record` (left to parse), skips, rejections. */
export interface AgreementCounts {
  appended: number;
  record: number;
  skipped: number;
  rejected: number;
}

/**
 * Feeds `lines` (ASCII) to a fresh record parser and a fresh columnar parser, line by line, and expects the
 * same outcome for each; the appended rows must hold the record's values in every column of `format.schema`.
 */
export function expectFileSameAsRecordPath(
  format: LogFormat<object>,
  recordParser: RecordParser<object>,
  columnar: ColumnarParser<object>,
  lines: readonly string[],
): AgreementCounts {
  const fields = format.schema.fields;
  const counts: AgreementCounts = { appended: 0, record: 0, skipped: 0, rejected: 0 };
  lines.forEach((line, index) => {
    const number = index + 1;
    const expected = recordParser.parse(line, number);
    const outcome = columnar.decode(line, number);
    if (expected === SKIP) {
      expect([number, outcome]).toEqual([number, SKIP]);
      counts.skipped++;
      return;
    }
    if (expected instanceof Rejection) {
      expect([number, outcome]).toEqual([number, expected]);
      counts.rejected++;
      return;
    }
    if (outcome === NEEDS_RECORD) {
      // Only lines whose values do not fit the columns (undocumented trailing fields) may go this way.
      expect([number, (expected as { extra?: unknown }).extra ?? null]).not.toEqual([number, null]);
      counts.record++;
      return;
    }
    const micros = format.eventTimeMicros(expected);
    expect([number, outcome]).toEqual([number, micros ?? Number.NaN]);
    const builder = new ColumnBatchBuilder(fields);
    const bytes = Buffer.from(`xx${line}`, 'latin1');
    columnar.append(bytes, 2, builder, typeof outcome === 'number' && !Number.isNaN(outcome) ? outcome : 0);
    const batch = builder.view();
    expect(batch.length).toBe(1);
    const row = batch.record(0);
    const record = expected as Record<string, unknown>;
    fields.forEach((field, column) => {
      const vector = batch.columns[column]!;
      if (field.type === 'timestamp') {
        const value = record[field.name];
        const want = value === null || value === undefined ? null : isoToMicros(value as string);
        const got = vector.valid[0] === 0 ? null : (vector as { values: Float64Array }).values[0];
        expect([number, field.name, got]).toEqual([number, field.name, want]);
      } else {
        expect([number, field.name, row[field.name]]).toEqual([number, field.name, record[field.name] ?? null]);
      }
    });
    counts.appended++;
  });
  return counts;
}
