/**
 * @module formats/nlb/parse
 * The NLB access-log parsers, derived from `NLB_FIELDS`; ELB's test message is skipped. Lines must have the
 * 22 fields of version 2.0; fields beyond them go to `extra`.
 */
import type { ColumnarParser, RecordParser } from '../types.js';
import { isElbTestMessage, isElbTestMessageBytes } from '../common/elb-test-message.js';
import { columnarLayout, positionalLayout } from '../common/field-table.js';
import { PositionalColumnarParser } from '../common/positional-columnar-parser.js';
import { PositionalParser } from '../common/positional-parser.js';
import { NLB_FIELDS, NLB_MIN_FIELDS, type NlbRecord } from './schema.js';

const NLB_LAYOUT = positionalLayout(NLB_FIELDS, {
  minFields: NLB_MIN_FIELDS,
  isSkipped: isElbTestMessage,
  isSkippedBytes: isElbTestMessageBytes,
});

/**
 * A parser for one NLB access-log file.
 * @example createNlbParser().parse('tls 2.0 2018-12-20T02:59:40 net/my-network-loadbalancer/c6e77e28c25b2234 …', 1) // NlbRecord
 */
export function createNlbParser(): RecordParser<NlbRecord> {
  return new PositionalParser(NLB_LAYOUT);
}

/** A parser for one NLB file that can also append lines straight to columns of `nlbSchema`. */
export function createNlbColumnarParser(): ColumnarParser<NlbRecord> {
  return new PositionalColumnarParser(NLB_LAYOUT, columnarLayout(NLB_FIELDS, 'time'));
}
