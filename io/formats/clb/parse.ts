/**
 * @module formats/clb/parse
 * The Classic ELB access-log parsers, derived from `CLB_FIELDS`; ELB's test message is skipped. Both the
 * 12-field (pre-2015) and 15-field layouts parse; fields beyond the 15th go to `extra`.
 */
import type { ColumnarParser, RecordParser } from '../types.js';
import { isElbTestMessage, isElbTestMessageBytes } from '../common/elb-test-message.js';
import { columnarLayout, positionalLayout } from '../common/field-table.js';
import { PositionalColumnarParser } from '../common/positional-columnar-parser.js';
import { PositionalParser } from '../common/positional-parser.js';
import { CLB_FIELDS, CLB_MIN_FIELDS, type ClbRecord } from './schema.js';

const CLB_LAYOUT = positionalLayout(CLB_FIELDS, {
  minFields: CLB_MIN_FIELDS,
  isSkipped: isElbTestMessage,
  isSkippedBytes: isElbTestMessageBytes,
});

/**
 * A parser for one Classic ELB access-log file.
 * @example createClbParser().parse('2015-05-13T23:39:43.945958Z my-loadbalancer 192.168.131.39:2817 …', 1) // ClbRecord
 */
export function createClbParser(): RecordParser<ClbRecord> {
  return new PositionalParser(CLB_LAYOUT);
}

/** A parser for one Classic ELB file that can also append lines straight to columns of `clbSchema`. */
export function createClbColumnarParser(): ColumnarParser<ClbRecord> {
  return new PositionalColumnarParser(CLB_LAYOUT, columnarLayout(CLB_FIELDS, 'time'));
}
