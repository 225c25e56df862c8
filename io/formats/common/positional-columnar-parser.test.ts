import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ColumnBatchBuilder } from '../../../core/column-batch-builder.js';
import { isoToMicros } from '../../../core/time.js';
import { albFormat, createAlbColumnarParser, createAlbParser, generateAlbLines } from '../alb/index.js';
import { clbFormat, createClbColumnarParser, createClbParser, generateClbLines } from '../clb/index.js';
import { createNlbColumnarParser, createNlbParser, generateNlbLines, nlbFormat } from '../nlb/index.js';
import { createS3AccessColumnarParser, createS3AccessParser, generateS3AccessLines, s3AccessFormat } from '../s3-access/index.js';
import { NEEDS_RECORD, Rejection, SKIP, type ColumnarParser, type LogFormat, type RecordParser } from '../types.js';
import { looseLine, mutatedLine } from './testing/mutations.js';

const isAscii = (text: string): boolean => [...text].every((char) => char.charCodeAt(0) < 128);

interface Subject {
  readonly format: LogFormat<object>;
  readonly recordParser: () => RecordParser<object>;
  readonly columnarParser: () => ColumnarParser<object>;
  readonly generate: (options: { records: number; seed: number }) => Iterable<string>;
}

const subjects: readonly [string, Subject][] = [
  ['ALB', { format: albFormat, recordParser: createAlbParser, columnarParser: createAlbColumnarParser, generate: generateAlbLines }],
  [
    'Classic ELB',
    { format: clbFormat, recordParser: createClbParser, columnarParser: createClbColumnarParser, generate: generateClbLines },
  ],
  ['NLB', { format: nlbFormat, recordParser: createNlbParser, columnarParser: createNlbColumnarParser, generate: generateNlbLines }],
  [
    'S3 access',
    {
      format: s3AccessFormat,
      recordParser: createS3AccessParser,
      columnarParser: createS3AccessColumnarParser,
      generate: generateS3AccessLines,
    },
  ],
];

/**
 * Checks that the columnar path treats `line` exactly as the record parser does: skipped, rejected for the
 * same reason, left to the record path (extra fields), or appended with the record's values.
 */
function expectSameAsRecordPath(subject: Subject, line: string): void {
  const fields = subject.format.schema.fields;
  const expected = subject.recordParser().parse(line, 1);
  const columnar = subject.columnarParser();
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
  if ((expected as { extra: unknown }).extra !== null) {
    expect(outcome).toBe(NEEDS_RECORD);
    return;
  }
  expect(outcome).toBe(subject.format.eventTimeMicros(expected));
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

describe.each(subjects)('the %s columnar parser', (_name, subject) => {
  const generated = [...subject.generate({ records: 1000, seed: 7 })];

  it('appends every generated line with the values the record parser gives', () => {
    for (const line of generated) expectSameAsRecordPath(subject, line);
  });

  it('agrees with the record parser on damaged ASCII lines (skips, rejections, extra fields, values)', () => {
    fc.assert(
      fc.property(mutatedLine(generated.slice(0, 300)), (line) => {
        fc.pre(isAscii(line));
        expectSameAsRecordPath(subject, line);
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with the record parser on loose text', () => {
    fc.assert(
      fc.property(looseLine(), (line) => {
        fc.pre(isAscii(line));
        expectSameAsRecordPath(subject, line);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('the ALB columnar parser', () => {
  it('leaves lines with undocumented trailing fields to the record path', () => {
    const line = [...generateAlbLines({ records: 1000, seed: 7 })].find(
      (candidate) => (createAlbParser().parse(candidate, 1) as { extra: unknown }).extra !== null,
    )!;
    expect(createAlbColumnarParser().decode(line, 1)).toBe(NEEDS_RECORD);
  });
});
