/**
 * @module formats/alb/parse
 * The ALB access-log parsers, derived from `ALB_FIELDS`; ELB's test message is skipped. Lines of any
 * documented version (18 to 33 fields) parse; later fields are null on older lines, and fields beyond the
 * 33rd go to `extra`.
 */
import type { ColumnarParser, RecordParser } from '../types.js';
import { isElbTestMessage, isElbTestMessageBytes } from '../common/elb-test-message.js';
import { columnarLayout, positionalLayout } from '../common/field-table.js';
import { PositionalColumnarParser } from '../common/positional-columnar-parser.js';
import { PositionalParser } from '../common/positional-parser.js';
import { ALB_FIELDS, ALB_MIN_FIELDS, type AlbRecord } from './schema.js';

const ALB_LAYOUT = positionalLayout(ALB_FIELDS, {
  minFields: ALB_MIN_FIELDS,
  isSkipped: isElbTestMessage,
  isSkippedBytes: isElbTestMessageBytes,
});

/**
 * A parser for one ALB access-log file.
 * @example createAlbParser().parse('http 2018-07-02T22:23:00.186641Z app/my-lb/50dc… …', 1) // AlbRecord
 */
export function createAlbParser(): RecordParser<AlbRecord> {
  return new PositionalParser(ALB_LAYOUT);
}

/**
 * A parser for one ALB file that can also append lines straight to columns of `albSchema`.
 * @example createAlbColumnarParser().decode(line, 1) // event time in µs; then .append(bytes, offset, batch, time)
 */
export function createAlbColumnarParser(): ColumnarParser<AlbRecord> {
  return new PositionalColumnarParser(ALB_LAYOUT, columnarLayout(ALB_FIELDS, 'time'));
}
