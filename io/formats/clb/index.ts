/**
 * @module formats/clb
 * Classic Load Balancer (ELB v1) access logs: one request or TCP connection per line, space-separated,
 * request and user agent double-quoted, `-` for missing values. Files are plain text (not gzip).
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/access-log-collection.html
 */
import { isoToMicros } from '../../../core/time.js';
import type { ColumnarLogFormat } from '../types.js';
import { createClbColumnarParser, createClbParser } from './parse.js';
import { clbSchema, type ClbRecord } from './schema.js';

/** The `clb` log format. Event time: `time` (when the load balancer received the request). */
export const clbFormat: ColumnarLogFormat<ClbRecord> = {
  name: 'clb',
  description:
    'Classic Load Balancer access logs (space-separated, quoted request and user agent; https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/access-log-collection.html)',
  framing: 'lines',
  schema: clbSchema,
  eventTimeField: 'time',
  eventTimeMicros(record: ClbRecord): number | undefined {
    return isoToMicros(record.time);
  },
  createParser: createClbParser,
  columnar: { createParser: createClbColumnarParser },
};

export { clbSchema, CLB_COLUMNS, CLB_MIN_FIELDS, CLB_FIELDS } from './schema.js';
export { createClbColumnarParser, createClbParser } from './parse.js';
export { generateClbLines } from './generate.js';
export type { ClbRecord } from './schema.js';
