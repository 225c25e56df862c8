/**
 * The byte-level columnar path (line framer -> `recordBytes` -> `decodeBytes` -> column buffers) must give
 * exactly what the record path gives (line framer -> text -> `parse` -> records -> columns): the same rows,
 * values and event times, the same skips, and the same dead letters (line, reason, raw text), for valid,
 * damaged and non-UTF-8 lines, whatever the chunk boundaries (multi-byte characters split across chunks too).
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ColumnBatchBuilder } from '../../core/column-batch-builder.js';
import { isColumnBatch, type ColumnBatch } from '../../core/column-batch.js';
import type { SourceEmitter } from '../../core/source.js';
import { albFormat, generateAlbLines } from '../formats/alb/index.js';
import { clbFormat, generateClbLines } from '../formats/clb/index.js';
import { cloudFrontFormat, generateCloudFrontLines } from '../formats/cloudfront/index.js';
import { looseLine, mutatedLine } from '../formats/common/testing/mutations.js';
import { percentEncodedValue } from '../formats/common/testing/percent-values.js';
import { generateNlbLines, nlbFormat } from '../formats/nlb/index.js';
import { generateS3AccessLines, s3AccessFormat } from '../formats/s3-access/index.js';
import { generateVpcFlowLines, vpcFlowFormat } from '../formats/vpc-flow/index.js';
import type { ColumnarLogFormat } from '../formats/types.js';
import { ColumnarFrameParser } from './columnar-frame-parser.js';
import { FrameParser } from './frame-parser.js';
import { lineFramer } from './framing/line-framer.js';
import { SKIPPED, SourceDeadLetter } from './parse-outcomes.js';

/** One row as comparable values: text columns as their raw bytes (Latin-1, so invalid UTF-8 would show), numbers as numbers. */
type Row = readonly unknown[];

interface Outcome {
  rows: Row[];
  deadLetters: [number | null, string, string][];
  skipped: number;
}

function rowsOf(batch: ColumnBatch, into: Row[]): void {
  for (let row = 0; row < batch.length; row++) {
    const values: unknown[] = batch.columns.map((column) => {
      if (column.valid[row] === 0) return null;
      if (column.kind === 'numbers') return column.values[row];
      return Buffer.from(column.bytes.subarray(column.offsets[row], column.offsets[row + 1])).toString('latin1');
    });
    values.push(batch.timestamps[row]);
    into.push(values);
  }
}

function collector(outcome: Outcome, onRecord: (record: object) => void): SourceEmitter<unknown> {
  return {
    emit(value) {
      if (value === SKIPPED) outcome.skipped++;
      else if (value instanceof SourceDeadLetter) outcome.deadLetters.push([value.line, value.reason, value.raw]);
      else if (isColumnBatch(value)) rowsOf(value, outcome.rows);
      else onRecord(value as object);
    },
    checkpoint: () => undefined,
    addBytesRead: () => undefined,
  };
}

function push(receiver: ColumnarFrameParser<object> | FrameParser<object>, bytes: Buffer, cuts: readonly number[]): void {
  const framer = lineFramer(receiver);
  let start = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    framer.push(bytes.subarray(start, cut));
    start = cut;
  }
  framer.push(bytes.subarray(start));
  framer.end();
}

/** The byte path, with small batches so rows cross several. */
function bytePath(format: ColumnarLogFormat<object>, bytes: Buffer, cuts: readonly number[]): Outcome {
  const outcome: Outcome = { rows: [], deadLetters: [], skipped: 0 };
  const emitter = collector(outcome, () => {
    throw new Error('the columnar source emitted a record');
  });
  const parser = format.columnar.createParser()!;
  const receiver = new ColumnarFrameParser(format, parser, undefined, emitter, 'Read', 'in.log', 5);
  expect(typeof receiver.recordBytes).toBe('function');
  push(receiver, bytes, cuts);
  receiver.flush();
  return outcome;
}

/** The record path: text lines, `parse`, records appended to columns value by value. */
function recordPath(format: ColumnarLogFormat<object>, bytes: Buffer, cuts: readonly number[]): Outcome {
  const outcome: Outcome = { rows: [], deadLetters: [], skipped: 0 };
  const fields = format.schema.fields;
  const builder = new ColumnBatchBuilder(fields);
  const emitter = collector(outcome, (record) => {
    const values = record as Record<string, unknown>;
    for (const [column, field] of fields.entries()) builder.appendValue(column, values[field.name]);
    builder.endRow(format.eventTimeMicros(record) ?? 0);
  });
  push(new FrameParser(format, format.createParser(), undefined, emitter, 'Read', 'in.log'), bytes, cuts);
  rowsOf(builder.view(), outcome.rows);
  return outcome;
}

interface Subject {
  readonly format: ColumnarLogFormat<object>;
  readonly generate: (options: { records: number; seed: number; spanHours?: number }) => Iterable<string>;
}

const subjects: readonly [string, Subject][] = [
  ['ALB', { format: albFormat as ColumnarLogFormat<object>, generate: generateAlbLines }],
  ['Classic ELB', { format: clbFormat as ColumnarLogFormat<object>, generate: generateClbLines }],
  ['NLB', { format: nlbFormat as ColumnarLogFormat<object>, generate: generateNlbLines }],
  ['S3 access', { format: s3AccessFormat as ColumnarLogFormat<object>, generate: generateS3AccessLines }],
  ['CloudFront', { format: cloudFrontFormat as ColumnarLogFormat<object>, generate: generateCloudFrontLines }],
  ['VPC flow', { format: vpcFlowFormat as ColumnarLogFormat<object>, generate: generateVpcFlowLines }],
];

/** Bytes that are not UTF-8: a stray continuation byte, a cut 3-byte sequence, an overlong encoding, 0xff. */
const NOT_UTF8 = [Buffer.from([0x80]), Buffer.from([0xe2, 0x82]), Buffer.from([0xc0, 0xaf]), Buffer.from([0xff])];

/** Text the tokenizers and converters treat specially: escaped quotes, quote-space pairs, brackets, times, tabs, escapes. */
const AWKWARD = [
  '\\" ',
  '\\"',
  '" "',
  '" ',
  ' "',
  '"-" ',
  '] ',
  ' [',
  ':',
  '.5',
  'Z',
  ' 200 ',
  ' - ',
  'e5',
  '+0100',
  '\t',
  '\t-\t',
  '%',
  '%4',
  '%41',
  '%C3%A9',
  '#',
];

/** A line as bytes: a valid, damaged or loose line, maybe with non-ASCII text or invalid bytes inserted. */
function lineBytes(generated: readonly string[]): fc.Arbitrary<Buffer> {
  const awkward = fc.tuple(fc.constantFrom(...generated), fc.nat(), fc.constantFrom(...AWKWARD)).map(([line, at, insert]) => {
    const i = at % (line.length + 1);
    return line.slice(0, i) + insert + line.slice(i);
  });
  const text = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...generated) },
    { weight: 3, arbitrary: mutatedLine(generated) },
    { weight: 2, arbitrary: awkward },
    { weight: 1, arbitrary: looseLine() },
  );
  const unicode = fc.tuple(text, fc.nat(), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 4 })).map(([line, at, insert]) => {
    const i = at % (line.length + 1);
    return Buffer.from(line.slice(0, i) + insert + line.slice(i));
  });
  const invalid = fc.tuple(text, fc.nat(), fc.constantFrom(...NOT_UTF8)).map(([line, at, insert]) => {
    const bytes = Buffer.from(line);
    const i = at % (bytes.length + 1);
    return Buffer.concat([bytes.subarray(0, i), insert, bytes.subarray(i)]);
  });
  return fc.oneof(
    { weight: 4, arbitrary: text.map((line) => Buffer.from(line)) },
    { weight: 2, arbitrary: unicode },
    { weight: 1, arbitrary: invalid },
  );
}

describe.each(subjects)('the %s byte path', (_name, subject) => {
  // 400 lines in two minutes: neighbouring lines often share a second (the timestamp caches' case).
  const generated = [...subject.generate({ records: 400, seed: 11, spanHours: 1 / 30 })];

  it('gives the record path columns, skips and dead letters for arbitrary lines and chunk splits', () => {
    fc.assert(
      fc.property(
        fc.array(lineBytes(generated), { minLength: 1, maxLength: 25 }),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 12 }),
        (lines, crlf, rawCuts) => {
          const bytes = Buffer.concat(lines.flatMap((line) => [line, Buffer.from(crlf ? '\r\n' : '\n')]));
          const cuts = rawCuts.map((cut) => cut % (bytes.length + 1));
          expect(bytePath(subject.format, bytes, cuts)).toEqual(recordPath(subject.format, bytes, cuts));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('appends the generated lines (a whole file in one chunk) with the record path values', () => {
    const bytes = Buffer.from(`${generated.join('\n')}\n`);
    const viaBytes = bytePath(subject.format, bytes, []);
    expect(viaBytes.rows.length).toBeGreaterThan(generated.length / 2);
    expect(viaBytes).toEqual(recordPath(subject.format, bytes, []));
  });
});

describe('the CloudFront byte path on percent-encoded values', () => {
  const generated = [...generateCloudFrontLines({ records: 200, seed: 12, spanHours: 1 / 30 })];
  const header = generated.slice(0, 2);
  const records = generated.slice(2);
  // Columns of the default `#Fields` header: cs-uri-stem, cs(Referer), cs(User-Agent) (encoded twice),
  // cs-uri-query, cs(Cookie), and the enumerated x-edge-result-type and cs-protocol.
  const encodedColumns = [7, 9, 10, 11, 12];
  const enumeratedValues = fc.constantFrom('H%69t', 'Mi%2573s', 'Hit%', '%68ttps', 'http%73', 'ws%20', '%E2%82%AC');
  // Now and then with a character CloudFront would have escaped, as written.
  const encodedValue = fc.oneof(
    { weight: 5, arbitrary: percentEncodedValue() },
    { weight: 1, arbitrary: fc.tuple(percentEncodedValue(), fc.constantFrom('é', '\u{1F600}')).map(([value, char]) => value + char) },
  );
  const line = fc
    .tuple(
      fc.constantFrom(...records),
      fc.array(fc.tuple(fc.constantFrom(...encodedColumns), encodedValue), { minLength: 1, maxLength: 4 }),
      fc.option(fc.tuple(fc.constantFrom(13, 16), enumeratedValues), { freq: 4 }),
    )
    .map(([record, values, enumerated]) => {
      const fields = record.split('\t');
      for (const [column, value] of values) fields[column] = value;
      if (enumerated !== null) fields[enumerated[0]] = enumerated[1];
      return fields.join('\t');
    });

  it('gives the record path values for random escapes, double escapes, multi-byte and non-UTF-8 escapes (property)', () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 20 }), (lines) => {
        const bytes = Buffer.from(`${[...header, ...lines].join('\n')}\n`);
        expect(bytePath(cloudFrontFormat as ColumnarLogFormat<object>, bytes, [])).toEqual(
          recordPath(cloudFrontFormat as ColumnarLogFormat<object>, bytes, []),
        );
      }),
      { numRuns: 400 },
    );
  });
});
