/**
 * @module formats/alb
 * Application Load Balancer access logs: one request (or closed WebSocket connection) per line, fields
 * separated by spaces, some double-quoted, `-` for missing values.
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-access-logs.html
 */
import { isoToMicros } from '../../../core/time.js';
import type { ColumnarLogFormat } from '../types.js';
import { createAlbColumnarParser, createAlbParser } from './parse.js';
import { albSchema, type AlbRecord } from './schema.js';

/** The `alb` log format. Event time: `time` (when the load balancer sent the response). */
export const albFormat: ColumnarLogFormat<AlbRecord> = {
  name: 'alb',
  description:
    'Application Load Balancer access logs (space-separated, quoted fields; https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-access-logs.html)',
  framing: 'lines',
  schema: albSchema,
  eventTimeField: 'time',
  eventTimeMicros(record: AlbRecord): number | undefined {
    return isoToMicros(record.time);
  },
  createParser: createAlbParser,
  columnar: { createParser: createAlbColumnarParser },
};

export { albSchema, ALB_COLUMNS, ALB_MIN_FIELDS, ALB_FIELDS } from './schema.js';
export { createAlbColumnarParser, createAlbParser } from './parse.js';
export { generateAlbLines } from './generate.js';
export type { AlbRecord } from './schema.js';
