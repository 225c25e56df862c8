/**
 * @module formats/alb/parse
 * The ALB access-log parser: the positional layout of `ALB_COLUMNS`, ELB's test message skipped.
 * Lines of any documented version (18 to 33 fields) parse; later fields are null on older lines, and fields
 * beyond the 33rd go to `extra`. `type` and `classification` must hold one of their documented values.
 */
import type { ColumnarParser, RecordParser } from '../types.js';
import { isElbTestMessage } from '../common/elb-test-message.js';
import { PositionalColumnarParser, type ColumnarLayout } from '../common/positional-columnar-parser.js';
import { PositionalParser, type PositionalLayout } from '../common/positional-parser.js';
import { buildAlbRecord, type AlbRecord } from './record.js';
import { ALB_CLASSIFICATIONS, ALB_COLUMNS, ALB_MIN_FIELDS, ALB_TYPES, albSchema } from './schema.js';

const ALB_LAYOUT: PositionalLayout<AlbRecord> = {
  schema: albSchema,
  columns: ALB_COLUMNS,
  minFields: ALB_MIN_FIELDS,
  required: [
    { slot: 0, name: 'type' },
    { slot: 1, name: 'time' },
    { slot: 2, name: 'elb' },
  ],
  enumerated: [
    { slot: 0, name: 'type', values: new Set(ALB_TYPES) },
    { slot: 31, name: 'classification', values: new Set(ALB_CLASSIFICATIONS) },
  ],
  isSkipped: isElbTestMessage,
  build: buildAlbRecord,
};

/**
 * A parser for one ALB access-log file.
 * @example createAlbParser().parse('http 2018-07-02T22:23:00.186641Z app/my-lb/50dc… …', 1) // AlbRecord
 */
export function createAlbParser(): RecordParser<AlbRecord> {
  return new PositionalParser(ALB_LAYOUT);
}

/** Every record field but `extra`, in slot order: the record is the decoded slots in order. */
const ALB_COLUMNAR: ColumnarLayout = {
  slotFields: albSchema.fields.map((field) => field.name).filter((name) => name !== 'extra'),
  eventTimeField: 'time',
};

/**
 * A parser for one ALB file that can also append lines straight to columns of `albSchema`.
 * @example createAlbColumnarParser().decode(line, 1) // event time in µs; then .append(bytes, offset, batch, time)
 */
export function createAlbColumnarParser(): ColumnarParser<AlbRecord> {
  return new PositionalColumnarParser(ALB_LAYOUT, ALB_COLUMNAR);
}
