/**
 * @module formats/clb/parse
 * The Classic ELB access-log parser: the positional layout of `CLB_COLUMNS`, ELB's test message skipped.
 * Both the 12-field (pre-2015) and 15-field layouts parse; fields beyond the 15th go to `extra`.
 */
import type { ColumnarParser, RecordParser } from '../types.js';
import { isElbTestMessage } from '../common/elb-test-message.js';
import { PositionalColumnarParser, type ColumnarLayout } from '../common/positional-columnar-parser.js';
import { PositionalParser, type PositionalLayout } from '../common/positional-parser.js';
import { buildClbRecord, type ClbRecord } from './record.js';
import { CLB_COLUMNS, CLB_MIN_FIELDS, clbSchema } from './schema.js';

const CLB_LAYOUT: PositionalLayout<ClbRecord> = {
  schema: clbSchema,
  columns: CLB_COLUMNS,
  minFields: CLB_MIN_FIELDS,
  required: [
    { slot: 0, name: 'time' },
    { slot: 1, name: 'elb' },
  ],
  isSkipped: isElbTestMessage,
  build: buildClbRecord,
};

/**
 * A parser for one Classic ELB access-log file.
 * @example createClbParser().parse('2015-05-13T23:39:43.945958Z my-loadbalancer 192.168.131.39:2817 …', 1) // ClbRecord
 */
export function createClbParser(): RecordParser<ClbRecord> {
  return new PositionalParser(CLB_LAYOUT);
}

/** Every record field but `extra`, in slot order: the record is the decoded slots in order. */
const CLB_COLUMNAR: ColumnarLayout = {
  slotFields: clbSchema.fields.map((field) => field.name).filter((name) => name !== 'extra'),
  eventTimeField: 'time',
};

/** A parser for one Classic ELB file that can also append lines straight to columns of `clbSchema`. */
export function createClbColumnarParser(): ColumnarParser<ClbRecord> {
  return new PositionalColumnarParser(CLB_LAYOUT, CLB_COLUMNAR);
}
