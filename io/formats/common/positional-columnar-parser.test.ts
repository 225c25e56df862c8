import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ColumnBatchBuilder } from '../../../core/column-batch-builder.js';
import { isoToMicros } from '../../../core/time.js';
import { albFormat, createAlbColumnarParser, createAlbParser, generateAlbLines } from '../alb/index.js';
import { NEEDS_RECORD, Rejection, SKIP } from '../types.js';
import { looseLine, mutatedLine } from './testing/mutations.js';

const isAscii = (text: string): boolean => [...text].every((char) => char.charCodeAt(0) < 128);
const fields = albFormat.schema.fields;

/**
 * Checks that the columnar path treats `line` exactly as the record parser does: skipped, rejected for the
 * same reason, left to the record path (extra fields), or appended with the record's values.
 */
function expectSameAsRecordPath(line: string): void {
  const expected = createAlbParser().parse(line, 1);
  const columnar = createAlbColumnarParser();
  const bytes = Buffer.from(`xx${line}`, 'latin1');
  const outcome = columnar.decode(line, 1);
  if (expected === SKIP) {
    expect(outcome).toBe(SKIP);
    return;
  }
  if (expected instanceof Rejection) {
    expect(outcome).toEqual(expected);
    return;
  }
  if (expected.extra !== null) {
    expect(outcome).toBe(NEEDS_RECORD);
    return;
  }
  expect(outcome).toBe(albFormat.eventTimeMicros(expected));
  const builder = new ColumnBatchBuilder(fields);
  columnar.append(bytes, 2, builder, outcome as number);
  const batch = builder.view();
  expect(batch.length).toBe(1);
  expect(batch.timestamps[0]).toBe(outcome);
  const row = batch.record(0);
  const record = expected as unknown as Record<string, unknown>;
  fields.forEach((field, index) => {
    const column = batch.columns[index]!;
    if (field.type === 'timestamp') {
      const micros = record[field.name] === null ? null : isoToMicros(record[field.name] as string);
      expect([field.name, column.valid[0] === 0 ? null : (column as { values: Float64Array }).values[0]]).toEqual([field.name, micros]);
    } else {
      expect([field.name, row[field.name]]).toEqual([field.name, record[field.name]]);
    }
  });
}

describe('the ALB columnar parser', () => {
  const generated = [...generateAlbLines({ records: 1000, seed: 7 })];

  it('appends every generated line with the values the record parser gives', () => {
    for (const line of generated) expectSameAsRecordPath(line);
  });

  it('agrees with the record parser on damaged ASCII lines (skips, rejections, extra fields, values)', () => {
    fc.assert(
      fc.property(mutatedLine(generated.slice(0, 300)), (line) => {
        fc.pre(isAscii(line));
        expectSameAsRecordPath(line);
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees with the record parser on loose text', () => {
    fc.assert(
      fc.property(looseLine(), (line) => {
        fc.pre(isAscii(line));
        expectSameAsRecordPath(line);
      }),
      { numRuns: 1000 },
    );
  });

  it('leaves lines with undocumented trailing fields to the record path', () => {
    const line = generated.find((candidate) => (createAlbParser().parse(candidate, 1) as { extra: unknown }).extra !== null)!;
    expect(createAlbColumnarParser().decode(line, 1)).toBe(NEEDS_RECORD);
  });
});
