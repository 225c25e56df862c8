/**
 * @module formats/s3-access
 * Amazon S3 server access logs: one request per line, space-separated, Request-URI / Referer / User-Agent
 * double-quoted (without escaping), time in brackets, `-` for missing values. Files are plain text.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/LogFormat.html
 */
import { isoToMicros } from '../../../core/time.js';
import type { ColumnarLogFormat } from '../types.js';
import { createS3AccessColumnarParser, createS3AccessParser } from './parse.js';
import { s3AccessSchema, type S3AccessRecord } from './schema.js';

/** The `s3_access` log format. Event time: `time` (when S3 received the request). */
export const s3AccessFormat: ColumnarLogFormat<S3AccessRecord> = {
  name: 's3_access',
  description:
    'Amazon S3 server access logs (space-separated, bracketed time, quoted URI/referer/agent; https://docs.aws.amazon.com/AmazonS3/latest/userguide/LogFormat.html)',
  framing: 'lines',
  schema: s3AccessSchema,
  eventTimeField: 'time',
  eventTimeMicros(record: S3AccessRecord): number | undefined {
    return isoToMicros(record.time);
  },
  createParser: createS3AccessParser,
  columnar: { createParser: createS3AccessColumnarParser },
};

export { s3AccessSchema, S3_ACCESS_COLUMNS, S3_ACCESS_MIN_FIELDS, S3_ACCESS_FIELDS } from './schema.js';
export { createS3AccessColumnarParser, createS3AccessParser } from './parse.js';
export { generateS3AccessLines } from './generate.js';
export type { S3AccessRecord } from './schema.js';
